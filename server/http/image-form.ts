import type { FormImage } from "../../web/pages/image-fields.tsx";
import type { ImageInput } from "../domain/post-images.ts";
import { MAX_IMAGES } from "../domain/post-images.ts";
import { type Form, field } from "./post-form.ts";

/**
 * The images a post has now, as the edit form lists them (keepUrl0…, keepAlt0…, keepPreview0…,
 * and a removeImage0… box each).
 */
export function currentImages(form: Form): FormImage[] {
  const images: FormImage[] = [];
  for (let i = 0; i < MAX_IMAGES; i++) {
    const url = field(form, `keepUrl${i}`);
    if (!url) continue;
    images.push({
      url,
      alt: field(form, `keepAlt${i}`),
      previewUrl: field(form, `keepPreview${i}`) || undefined,
      remove: field(form, `removeImage${i}`) === "1",
    });
  }
  return images;
}

/** The current images the editor keeps (not ticked "remove"), with their alt text as edited. */
export function keptImages(form: Form): ImageInput[] {
  return currentImages(form)
    .map((image, i) => ({ image, i }))
    .filter(({ image }) => !image.remove)
    .map(({ image, i }) => ({ url: image.url, alt: image.alt, field: `keepAlt${i}` }));
}
