import { extname } from "node:path";
import { MB } from "../config.ts";
import { uuidv7 } from "../db/ids.ts";
import type { MediaVariant } from "../db/schema/index.ts";
import type { Account } from "../domain/accounts.ts";
import { TooLargeError, ValidationError } from "../domain/errors.ts";
import {
  deleteMediaRow,
  findMedia,
  insertMedia,
  type Media,
  mediaKeys,
  parseMediaPath,
} from "../domain/media.ts";
import { looksLikeSvg, type SniffedMediaType, sniffMediaType } from "../ingest/document.ts";
import { inspectImage } from "../ingest/image.ts";
import { imageVariant } from "../ingest/image-variants.ts";
import type { Services } from "./context.ts";

/** A file as it arrived: from a form (a File) or from the CLI (a file on disk as a Blob). */
export interface Upload {
  /** The form field or CLI option, named in every error. */
  field: string;
  /** The name it was sent with: shown to editors, and checked against the bytes, never trusted. */
  name: string;
  /** The type the browser claimed (it guesses from the name); "" when none was given. */
  claimedType: string;
  body: Blob;
}

export type MediaKind = "image" | "document" | "video";

const KIND_OF: Record<SniffedMediaType, MediaKind> = {
  "image/jpeg": "image",
  "image/png": "image",
  "image/gif": "image",
  "image/webp": "image",
  "image/avif": "image",
  "application/pdf": "document",
  "video/mp4": "video",
  "video/webm": "video",
};

/** What each kind accepts, for the errors. */
const KIND_WORDS: Record<MediaKind, string> = {
  image: "an image (jpeg, png, gif, webp or avif)",
  document: "a PDF",
  video: "a video (mp4 or webm)",
};

/** File name endings and the types they promise; a name promising another type than the bytes is refused. */
const EXTENSIONS: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  jfif: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  txt: "text/plain",
  html: "text/html",
  htm: "text/html",
};

/** Our extension of a file we store whole (images get theirs from image-variants.ts). */
const STORED_EXTENSION: Record<string, string> = {
  "application/pdf": "pdf",
  "video/mp4": "mp4",
  "video/webm": "webm",
};

const HEAD_BYTES = 4096;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;
}

/**
 * What the bytes are, checked against what the field takes, the name and the claimed type, and
 * against the kind's size limit. Throws ValidationError (TooLargeError beyond the limit) naming
 * the field; nothing has been stored yet.
 */
export async function checkUpload(
  services: Pick<Services, "config">,
  upload: Upload,
  kinds: readonly MediaKind[],
): Promise<{ mediaType: SniffedMediaType; kind: MediaKind }> {
  const { field, body } = upload;
  if (body.size === 0) throw new ValidationError(field, "is an empty file");
  const head = new Uint8Array(await body.slice(0, HEAD_BYTES).arrayBuffer());
  const wanted = kinds.map((k) => KIND_WORDS[k]).join(" or ");
  const mediaType = sniffMediaType(head);
  if (!mediaType) {
    if (looksLikeSvg(head)) {
      throw new ValidationError(field, `is an SVG drawing, which Mastodon cannot show; upload ${wanted}`);
    }
    throw new ValidationError(field, `is not ${wanted} (read from its bytes, not its name)`);
  }
  const kind = KIND_OF[mediaType];
  if (!kinds.includes(kind)) throw new ValidationError(field, `is ${KIND_WORDS[kind]}; upload ${wanted}`);
  const ending = extname(upload.name).slice(1).toLowerCase();
  const named = EXTENSIONS[ending];
  if (named && named !== mediaType) {
    throw new ValidationError(field, `holds ${mediaType} but its name ends in .${ending}`);
  }
  const claimed = upload.claimedType.split(";")[0]?.trim().toLowerCase() ?? "";
  // Browsers send octet-stream for names they don't know; that claims nothing.
  const claims = claimed && claimed !== "application/octet-stream";
  if (claims && claimed !== mediaType && !(claimed === "image/jpg" && mediaType === "image/jpeg")) {
    throw new ValidationError(field, `holds ${mediaType} but was sent as ${claimed}`);
  }
  const limit = services.config.mediaLimits[kind];
  if (body.size > limit) {
    throw new TooLargeError(
      field,
      `is ${megabytes(body.size)}; ${kind} uploads may be at most ${megabytes(limit)}`,
    );
  }
  return { mediaType, kind };
}

/**
 * Checks an upload, stores it and records it: an image as its large and small copies (upright,
 * resized, without metadata), a PDF or video as it came (streamed to the storage, not held in
 * memory). On any failure, whatever was stored is removed again: no file without its row.
 */
export async function storeUpload(
  services: Services,
  account: Account,
  upload: Upload,
  options: { kinds: readonly MediaKind[]; alt?: string },
): Promise<Media> {
  const { mediaType, kind } = await checkUpload(services, upload, options.kinds);
  const id = uuidv7();
  const stored: string[] = [];
  const put = async (key: string, body: Uint8Array | ReadableStream<Uint8Array>) => {
    stored.push(key);
    return services.storage.put(key, body);
  };
  try {
    const common = {
      id,
      accountId: account.id,
      alt: options.alt?.trim() || null,
      originalName: upload.name.slice(0, 255) || null,
    };
    if (kind !== "image") {
      const key = `${id}/${kind}.${STORED_EXTENSION[mediaType]}`;
      const { byteSize } = await put(key, upload.body.stream());
      return await insertMedia(services.db, { ...common, key, mediaType, byteSize });
    }
    const bytes = new Uint8Array(await upload.body.arrayBuffer());
    const info = await inspectImage(bytes, upload.field);
    const large = await imageVariant(bytes, info, "large");
    const small = await imageVariant(bytes, info, "small");
    const key = `${id}/large.${large.extension}`;
    const smallKey = `${id}/small.${small.extension}`;
    await put(key, large.bytes);
    await put(smallKey, small.bytes);
    const variants: Record<string, MediaVariant> = {
      small: {
        key: smallKey,
        mediaType: small.mediaType,
        byteSize: small.bytes.length,
        width: small.width,
        height: small.height,
      },
    };
    return await insertMedia(services.db, {
      ...common,
      key,
      mediaType: large.mediaType,
      byteSize: large.bytes.length,
      width: large.width,
      height: large.height,
      variants,
    });
  } catch (error) {
    await Promise.all(stored.map((key) => services.storage.delete(key).catch(() => {})));
    throw error;
  }
}

/** Removes uploads and their files (a publication that failed after its uploads were stored). */
export async function discardMedia(services: Services, rows: Media[]): Promise<void> {
  for (const row of rows) {
    await deleteMediaRow(services.db, row.id);
    await Promise.all(mediaKeys(row).map((key) => services.storage.delete(key)));
  }
}

/** The upload a URL of ours points at (an item's image, document or video), if it is one. */
export async function ownMedia(services: Services, url: string): Promise<Media | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.origin !== services.config.publicUrl.origin) return undefined;
  const path = parseMediaPath(parsed.pathname);
  const row = path && (await findMedia(services.db, path.id));
  return row && mediaKeys(row).includes(path.key) ? row : undefined;
}
