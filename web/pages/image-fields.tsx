import { FieldError, type FieldProblem, invalidAttributes } from "../components/forms.tsx";
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
  error?: FieldProblem;
}) {
  const { t, images } = props;
  // The CLI's and the API's name for the lead image's alt text is image-alt; the form's imageAlt.
  const problem = props.error?.field === "image-alt" ? { ...props.error, field: "imageAlt" } : props.error;
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
                <input
                  name={`keepAlt${i}`}
                  value={image.alt}
                  {...invalidAttributes(`keepAlt${i}`, problem)}
                />
              </label>
              <FieldError field={`keepAlt${i}`} problem={problem} />
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
          {...invalidAttributes("imageFile", problem)}
        />
      </label>
      <FieldError field="imageFile" problem={problem} />
      <label>
        {t("field.image")}
        <input name="imageUrl" type="url" value={props.imageUrl} {...invalidAttributes("image", problem)} />
      </label>
      <FieldError field="image" problem={problem} />
      <label>
        {t("field.imageAlt")}
        <input name="imageAlt" value={props.imageAlt} {...invalidAttributes("imageAlt", problem)} />
      </label>
      <FieldError field="imageAlt" problem={problem} />
      {MORE.map((n) => (
        <div class="stack">
          <label>
            {t("media.more")} {n}
            <input
              name={`moreFile${n}`}
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
              {...invalidAttributes(`moreFile${n}`, problem)}
            />
          </label>
          <FieldError field={`moreFile${n}`} problem={problem} />
          <label>
            {t("media.imageAlt")}
            <input name={`moreAlt${n}`} {...invalidAttributes(`moreAlt${n}`, problem)} />
          </label>
          <FieldError field={`moreAlt${n}`} problem={problem} />
        </div>
      ))}
      <FieldError field="images" problem={problem} />
    </fieldset>
  );
}
