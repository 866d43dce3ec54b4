import sharp, { type Metadata } from "sharp";
import { ValidationError } from "../domain/errors.ts";
import { SafeFetchError, type SafeFetchOptions, safeFetch } from "./safe-fetch.ts";

/** What we know of an image after reading it: its real type (from its bytes) and its size. */
export interface ImageInfo {
  mediaType: ImageMediaType;
  width: number;
  height: number;
}

/**
 * The image types Mastodon and Misskey show (DESIGN.md §4). SVG is refused: Mastodon cannot show
 * it, and a broken attachment also suppresses the link card.
 */
export const IMAGE_MEDIA_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** Mastodon's own upload limit for images. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
const ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1";

/** libvips' format names for the types above (AVIF is HEIF with AV1 compression). */
function mediaTypeOf(metadata: Metadata): ImageMediaType | null {
  switch (metadata.format) {
    case "jpeg":
      return "image/jpeg";
    case "png":
      return "image/png";
    case "gif":
      return "image/gif";
    case "webp":
      return "image/webp";
    case "heif":
      return metadata.compression === "av1" ? "image/avif" : null;
    default:
      return null;
  }
}

/**
 * Reads an image's type and size from its bytes, never from its name or Content-Type, and
 * refuses anything but jpeg, png, gif, webp and avif. Throws ValidationError naming `field`.
 */
export async function inspectImage(bytes: Uint8Array, field: string): Promise<ImageInfo> {
  let metadata: Metadata;
  try {
    // Only the header is decoded; limitInputPixels refuses decompression bombs.
    metadata = await sharp(bytes, { limitInputPixels: 100_000_000 }).metadata();
  } catch {
    throw new ValidationError(field, "is not an image (use jpeg, png, gif, webp or avif)");
  }
  const mediaType = mediaTypeOf(metadata);
  if (!mediaType) {
    const found = metadata.format === "svg" ? "SVG" : String(metadata.format).toUpperCase();
    throw new ValidationError(field, `is ${found}; use jpeg, png, gif, webp or avif`);
  }
  if (!metadata.width || !metadata.height) throw new ValidationError(field, "has no width or height");
  // An animated GIF or WebP reports the height of all frames together; one frame's is wanted.
  const height = metadata.pageHeight ?? metadata.height;
  return { mediaType, width: metadata.width, height };
}

/**
 * Fetches an image through the one SSRF-safe fetcher and inspects it. Every error names `field`
 * and says what went wrong, so the editor or operator can fix the URL.
 */
export async function fetchImage(
  url: string,
  field: string,
  options: Pick<SafeFetchOptions, "allowPrivateAddress">,
): Promise<ImageInfo> {
  let response: Awaited<ReturnType<typeof safeFetch>>;
  try {
    response = await safeFetch(url, {
      allowPrivateAddress: options.allowPrivateAddress,
      maxBytes: MAX_IMAGE_BYTES,
      accept: ACCEPT,
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new ValidationError(field, `could not be fetched: ${error.message}`);
    }
    throw error;
  }
  if (response.status !== 200) {
    throw new ValidationError(field, `could not be fetched: ${url} answered ${response.status}`);
  }
  return inspectImage(response.body, field);
}
