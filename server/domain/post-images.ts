import type { ItemAttachment } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField, textField } from "./fields.ts";

/** An image of a post besides the one given by `imageUrl`: an upload of ours or any http(s) image. */
export interface ImageInput {
  url: string;
  /** Alt text: required, for people who cannot see the image. */
  alt: string;
  /** The form field to name in errors (default image-alt). */
  field?: string;
}

/** Mastodon shows at most four media of a post. */
export const MAX_IMAGES = 4;
const MAX_ALT = 1500;

/**
 * A post's images in order, the lead image first: the one given by URL (already checked by
 * preparePost()), then the others. Each needs alt text; their type and size are read later
 * (services/publishing.ts), from our upload or from the image itself.
 */
export function prepareImages(lead: ItemAttachment[], images: ImageInput[] = []): ItemAttachment[] {
  const out = [...lead];
  for (const image of images) {
    const field = image.field ?? "image-alt";
    const url = httpUrlField("image", image.url);
    if (!url || out.some((a) => a.url === url)) continue;
    const alt = textField(field, image.alt, MAX_ALT);
    if (!alt)
      throw new ValidationError(field, "describe the image for people who cannot see it", "alt-missing");
    out.push({ url, name: alt });
  }
  if (out.length > MAX_IMAGES) {
    throw new ValidationError(
      "images",
      `at most ${MAX_IMAGES} images (Mastodon shows no more); it has ${out.length}`,
    );
  }
  return out;
}
