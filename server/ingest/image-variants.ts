import sharp from "sharp";
import { type ImageInfo, type ImageMediaType, inspectImage } from "./image.ts";

/** The sizes we keep of an uploaded image, as the longest side in pixels (never enlarged). */
export const IMAGE_SIZES = { large: 1600, small: 400 } as const;
export type ImageSize = keyof typeof IMAGE_SIZES;

export interface ImageVariant extends ImageInfo {
  bytes: Uint8Array;
  extension: string;
}

/**
 * What each type is written as: its own format, except AVIF, whose encoder takes seconds for a
 * large image; WebP is as widely shown (Mastodon, browsers) and quick to write.
 */
const OUTPUT: Record<ImageMediaType, { format: "jpeg" | "png" | "gif" | "webp"; extension: string }> = {
  "image/jpeg": { format: "jpeg", extension: "jpg" },
  "image/png": { format: "png", extension: "png" },
  "image/gif": { format: "gif", extension: "gif" },
  "image/webp": { format: "webp", extension: "webp" },
  "image/avif": { format: "webp", extension: "webp" },
};

/**
 * One size of an uploaded image: turned upright by its EXIF orientation, fitted within
 * `IMAGE_SIZES[size]` on its longer side, and written without metadata (sharp drops EXIF,
 * including GPS positions, unless asked to keep it). Animated GIF and WebP stay animated.
 */
export async function imageVariant(
  bytes: Uint8Array,
  info: ImageInfo,
  size: ImageSize,
): Promise<ImageVariant> {
  const output = OUTPUT[info.mediaType];
  const animated = info.mediaType === "image/gif" || info.mediaType === "image/webp";
  const longest = IMAGE_SIZES[size];
  let pipeline = sharp(bytes, { animated, limitInputPixels: 100_000_000 })
    .rotate()
    .resize({ width: longest, height: longest, fit: "inside", withoutEnlargement: true });
  switch (output.format) {
    case "jpeg":
      pipeline = pipeline.jpeg({ quality: 82, mozjpeg: true });
      break;
    case "png":
      pipeline = pipeline.png();
      break;
    case "gif":
      pipeline = pipeline.gif();
      break;
    case "webp":
      pipeline = pipeline.webp({ quality: 82 });
      break;
  }
  const out = new Uint8Array(await pipeline.toBuffer());
  const written = await inspectImage(out, "image");
  return { ...written, bytes: out, extension: output.extension };
}
