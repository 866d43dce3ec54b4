import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import type { Account } from "../../domain/accounts.ts";
import { requireAccount } from "../../domain/accounts.ts";
import { type Media, mediaUrl } from "../../domain/media.ts";
import type { ImageInput } from "../../domain/post-images.ts";
import type { Services } from "../../services/context.ts";
import { discardMedia, type MediaKind, storeUpload, type Upload } from "../../services/media.ts";
import { type Command, type OptionSpec, optional, required, UsageError } from "../command.ts";

/** A file on disk as an upload: read lazily (a Blob backed by the file), its name for the checks. */
export async function fileUpload(option: string, path: string): Promise<Upload> {
  try {
    return { field: `--${option}`, name: basename(path), claimedType: "", body: await openAsBlob(path) };
  } catch (error) {
    throw new UsageError(`--${option}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Checks and stores a file given on the command line (an error names the option). */
export async function uploadFile(
  services: Services,
  account: Account,
  option: string,
  path: string,
  options: { kinds: readonly MediaKind[]; alt?: string },
): Promise<Media> {
  return storeUpload(services, account, await fileUpload(option, path), options);
}

export const mediaCommands: Command[] = [
  {
    name: "media upload",
    summary:
      "Upload an image (jpeg, png, gif, webp or avif: resized, its metadata removed), a PDF or a video (mp4 or webm) and print its URL; the type is read from the bytes, and the size limits are MEDIA_MAX_*_MB.",
    arguments: [{ name: "file", help: "The file to upload" }],
    options: {
      account: { type: "string", value: "U", required: true, help: "Username of the account it belongs to" },
      alt: { type: "string", value: "TEXT", help: "An image described for people who cannot see it" },
    },
    async run(services, values, [path]) {
      if (!path) throw new UsageError("give the file to upload");
      const account = await requireAccount(services.db, required(values, "account"));
      const row = await uploadFile(services, account, "file", path, {
        kinds: ["image", "document", "video"],
        alt: optional(values, "alt"),
      });
      console.log(mediaUrl(services.config.publicUrl, row.key));
    },
  },
];

/** `--image-file F --image-alt T` of `posts create`. */
export const imageFileOption = {
  "image-file": {
    type: "string",
    value: "F",
    help: "An image file to upload as the lead image instead of --image (needs --image-alt)",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * Uploads `--image-file` before the post is made. `discard` is for the post's failure: it
 * removes the upload again and rethrows, so a refused post leaves no file behind.
 */
export async function uploadImageOption(
  services: Services,
  account: Account,
  values: Record<string, unknown>,
): Promise<{ images: ImageInput[] | undefined; discard: (error: unknown) => Promise<never> }> {
  const path = optional(values, "image-file");
  const none = { images: undefined, discard: (error: unknown) => Promise.reject(error) };
  if (!path) return none;
  if (optional(values, "image")) throw new UsageError("give --image or --image-file, not both");
  const alt = optional(values, "image-alt")?.trim();
  if (!alt)
    throw new UsageError("--image-file needs --image-alt: describe the image for people who cannot see it");
  const row = await uploadFile(services, account, "image-file", path, { kinds: ["image"], alt });
  return {
    images: [{ url: mediaUrl(services.config.publicUrl, row.key), alt, field: "--image-alt" }],
    async discard(error) {
      await discardMedia(services, [row]);
      throw error;
    },
  };
}
