import type { Translate } from "../i18n/index.ts";

/** One of the images a post has, as the edit form lists it. */
export interface FormImage {
  url: string;
  alt: string;
  /** Our smaller copy, for the thumbnail in the form. */
  previewUrl?: string;
  /** "Remove" was ticked (kept when the form comes back with an error). */
  remove?: boolean;
}

/** The further image uploads after the lead image (Mastodon shows four images in all). */
const MORE = [1, 2, 3] as const;

/**
 * The post's images: those it has (each with its alt text and a remove box), a new lead image
 * (a file or a URL), and up to three more files. Alt text is required for each image; an error
 * about one (`errorField`) is shown next to it. Plain form fields: works without JavaScript.
 */
export function ImageFields(props: {
  images: FormImage[];
  imageUrl: string;
  imageAlt: string;
  t: Translate;
  error?: { field: string; message: string };
}) {
  const { t, images, error } = props;
  const inlineError = (...fields: string[]) =>
    error && fields.includes(error.field) ? (
      <span class="error" role="alert" id={`${error.field}-error`}>
        {error.message}
      </span>
    ) : null;
  const invalid = (name: string) => (error?.field === name ? "true" : undefined);
  return (
    <fieldset class="stack">
      <legend>{t("media.images")}</legend>
      <p class="hint">{t("media.imagesHint")}</p>
      {images.length > 0 && (
        <ul class="current-images">
          {images.map((image, i) => (
            <li>
              <figure>
                <img src={image.previewUrl ?? image.url} alt={image.alt} loading="lazy" class="thumb" />
              </figure>
              <input type="hidden" name={`keepUrl${i}`} value={image.url} />
              {image.previewUrl && <input type="hidden" name={`keepPreview${i}`} value={image.previewUrl} />}
              <label>
                {i === 0 ? t("media.leadAlt") : t("media.imageAlt")}
                <input name={`keepAlt${i}`} value={image.alt} aria-invalid={invalid(`keepAlt${i}`)} />
              </label>
              {inlineError(`keepAlt${i}`)}
              <label class="inline">
                <input type="checkbox" name={`removeImage${i}`} value="1" checked={image.remove} />{" "}
                {t("media.remove")}
              </label>
            </li>
          ))}
        </ul>
      )}
      <label>
        {images.length > 0 ? t("media.newLead") : t("media.lead")}
        <input
          name="imageFile"
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
          aria-invalid={invalid("imageFile")}
        />
      </label>
      {inlineError("imageFile")}
      <label>
        {t("field.image")}
        <input name="imageUrl" type="url" value={props.imageUrl} aria-invalid={invalid("image")} />
      </label>
      {inlineError("image")}
      <label>
        {t("field.imageAlt")}
        <input
          name="imageAlt"
          value={props.imageAlt}
          aria-invalid={invalid("imageAlt") ?? invalid("image-alt")}
          aria-describedby={
            error?.field === "imageAlt" || error?.field === "image-alt" ? `${error.field}-error` : undefined
          }
        />
      </label>
      {inlineError("imageAlt", "image-alt")}
      {MORE.map((n) => (
        <div class="stack">
          <label>
            {t("media.more")} {n}
            <input
              name={`moreFile${n}`}
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
              aria-invalid={invalid(`moreFile${n}`)}
            />
          </label>
          {inlineError(`moreFile${n}`)}
          <label>
            {t("media.imageAlt")}
            <input name={`moreAlt${n}`} aria-invalid={invalid(`moreAlt${n}`)} />
          </label>
          {inlineError(`moreAlt${n}`)}
        </div>
      ))}
      {inlineError("images")}
    </fieldset>
  );
}
