import type { ItemAttachment } from "../../server/db/schema/index.ts";
import type { Translate } from "../i18n/index.ts";

/** The attachments a page shows as images (received items may carry video or other files). */
function images(attachments: ItemAttachment[]): ItemAttachment[] {
  return attachments.filter((a) => !a.mediaType || a.mediaType.startsWith("image/"));
}

/** An item's lead image (its first), shown large above the text. */
export function LeadImage(props: { attachments: ItemAttachment[] }) {
  const lead = images(props.attachments)[0];
  if (!lead) return null;
  return (
    <figure class="lead-image">
      <img src={lead.url} alt={lead.name ?? ""} width={lead.width} height={lead.height} />
    </figure>
  );
}

/** The item's other images, as small copies that link to the large ones. */
export function Gallery(props: { attachments: ItemAttachment[]; t: Translate }) {
  const rest = images(props.attachments).slice(1);
  if (rest.length === 0) return null;
  return (
    <ul class="gallery" aria-label={props.t("media.gallery")}>
      {rest.map((image) => (
        <li>
          {/* Images live in figures only (test/support/xss-browser.ts checks every page for strays). */}
          <figure>
            <a href={image.url}>
              <img
                src={image.previewUrl ?? image.url}
                alt={image.name ?? ""}
                loading="lazy"
                {...(image.width && image.height && galleryBox(image.width, image.height))}
              />
            </a>
          </figure>
        </li>
      ))}
    </ul>
  );
}

/** The size of a gallery thumbnail (at most 400 px on its longer side), so the page does not jump. */
function galleryBox(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 400 / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
