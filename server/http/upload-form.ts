import type { Account } from "../domain/accounts.ts";
import { ValidationError } from "../domain/errors.ts";
import { type Media, mediaUrl } from "../domain/media.ts";
import { type ImageInput, prepareImages } from "../domain/post-images.ts";
import { type PostInput, preparePost } from "../domain/posts.ts";
import type { Services } from "../services/context.ts";
import { checkUpload, discardMedia, type MediaKind, storeUpload, type Upload } from "../services/media.ts";
import { type Form, field } from "./post-form.ts";

/** The post form's image uploads and their alt-text fields: the lead image, then three more. */
export const IMAGE_UPLOADS = [
  { file: "imageFile", alt: "imageAlt" },
  { file: "moreFile1", alt: "moreAlt1" },
  { file: "moreFile2", alt: "moreAlt2" },
  { file: "moreFile3", alt: "moreAlt3" },
] as const;

/** The other file fields, as alternatives to the URL fields of a resource and a webcast. */
const OTHER_UPLOADS = [
  { file: "resourceDocumentFile", kinds: ["document"] },
  { file: "webcastVideoFile", kinds: ["video"] },
  { file: "webcastThumbnailFile", kinds: ["image"] },
] as const satisfies readonly { file: string; kinds: readonly MediaKind[] }[];

/** Where each of those uploads goes in the post's input. */
const URL_FIELD = {
  resourceDocumentFile: "documentUrl",
  webcastVideoFile: "videoUrl",
  webcastThumbnailFile: "thumbnailUrl",
} as const satisfies Record<(typeof OTHER_UPLOADS)[number]["file"], keyof FormUploads>;

/** The id in the stand-in URLs the form is checked with before its files are stored. */
const PENDING_ID = "00000000-0000-7000-8000-000000000000";

/** A file the browser sent in `name`; an empty file input sends a nameless, empty one. */
function fileIn(form: Form, name: string): Upload | undefined {
  const value = form[name];
  if (!(value instanceof File) || (value.size === 0 && value.name === "")) return undefined;
  return { field: name, name: value.name, claimedType: value.type, body: value };
}

/** What the form's uploads became: the stored media and where the post refers to them. */
export interface FormUploads {
  stored: Media[];
  /** Uploaded images in the form's order, the lead image first. */
  images: ImageInput[];
  documentUrl?: string;
  videoUrl?: string;
  thumbnailUrl?: string;
}

/**
 * Stores the files of a post form. Every file is checked first (alt text, type read from its
 * bytes, size), and `beforeStoring` gets the uploads as they will be (with stand-in URLs) to
 * check the rest of the form, so a mistake anywhere stores nothing; if storing fails midway,
 * what was stored goes again.
 */
export async function storeFormUploads(
  services: Services,
  account: Account,
  form: Form,
  beforeStoring: (planned: FormUploads) => void = () => {},
): Promise<FormUploads> {
  const images = IMAGE_UPLOADS.flatMap(({ file, alt }) => {
    const upload = fileIn(form, file);
    return upload ? [{ upload, alt: field(form, alt).trim(), altField: alt }] : [];
  });
  for (const image of images) {
    if (!image.alt)
      throw new ValidationError(
        image.altField,
        "describe the image for people who cannot see it",
        "alt-missing",
      );
  }
  if (fileIn(form, "imageFile") && field(form, "imageUrl").trim()) {
    throw new ValidationError("imageFile", "give the lead image as a file or as a URL, not both");
  }
  const others = OTHER_UPLOADS.flatMap(({ file, kinds }) => {
    const upload = fileIn(form, file);
    return upload ? [{ upload, kinds, to: URL_FIELD[file] }] : [];
  });
  const origin = services.config.publicUrl;
  const pending = (name: string) => mediaUrl(origin, `${PENDING_ID}/${name}`);
  beforeStoring({
    stored: [],
    images: images.map((image) => ({
      url: pending(image.upload.field),
      alt: image.alt,
      field: image.altField,
    })),
    ...Object.fromEntries(others.map((other) => [other.to, pending(other.upload.field)])),
  });
  for (const image of images) await checkUpload(services, image.upload, ["image"]);
  for (const other of others) await checkUpload(services, other.upload, other.kinds);

  const result: FormUploads = { stored: [], images: [] };
  try {
    for (const image of images) {
      const row = await storeUpload(services, account, image.upload, { kinds: ["image"], alt: image.alt });
      result.stored.push(row);
      result.images.push({ url: mediaUrl(origin, row.key), alt: image.alt, field: image.altField });
    }
    for (const other of others) {
      const row = await storeUpload(services, account, other.upload, { kinds: other.kinds });
      result.stored.push(row);
      result[other.to] = mediaUrl(origin, row.key);
    }
  } catch (error) {
    await discardMedia(services, result.stored);
    throw error;
  }
  return result;
}

/**
 * The form's input with its uploads in place: a new lead image first, then the images the post
 * keeps, then the new further images; an uploaded document or video replaces its URL field.
 */
export function withUploads(input: PostInput, uploads: FormUploads): PostInput {
  const [first, ...rest] = uploads.images;
  const newLead = first && first.field === "imageAlt" ? [first] : [];
  const more = newLead.length > 0 ? rest : uploads.images;
  return {
    ...input,
    images: [...newLead, ...(input.images ?? []), ...more],
    ...(input.resource &&
      uploads.documentUrl && { resource: { ...input.resource, documentUrl: uploads.documentUrl } }),
    ...(input.webcast && {
      webcast: {
        ...input.webcast,
        ...(uploads.videoUrl && { videoUrl: uploads.videoUrl }),
        ...(uploads.thumbnailUrl && { thumbnailUrl: uploads.thumbnailUrl }),
      },
    }),
  };
}

/**
 * Publishes (or saves) the form with its uploads: `use` gets the complete input; when it fails,
 * the uploads are removed again, so a refused post leaves no files behind.
 */
export async function withFormUploads<T>(
  services: Services,
  account: Account,
  form: Form,
  input: PostInput,
  use: (input: PostInput) => Promise<T>,
  options: { draft?: boolean } = {},
): Promise<T> {
  // The form is checked with its uploads in place first: a mistake in it stores no file (a draft
  // may be unfinished).
  const uploads = await storeFormUploads(services, account, form, (planned) => {
    if (options.draft) return;
    const complete = withUploads(input, planned);
    prepareImages(preparePost(complete).attachments, complete.images);
  });
  try {
    return await use(withUploads(input, uploads));
  } catch (error) {
    await discardMedia(services, uploads.stored);
    throw error;
  }
}
