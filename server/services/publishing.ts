import { eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import type { ItemAttachment, WebcastDetails } from "../db/schema/index.ts";
import { accounts } from "../db/schema/index.ts";
import type { Account } from "../domain/accounts.ts";
import { ValidationError } from "../domain/errors.ts";
import { findItemById, type Item } from "../domain/items.ts";
import { mediaAttachment } from "../domain/media.ts";
import { prepareImages } from "../domain/post-images.ts";
import {
  createPost,
  deletePost,
  type PostInput,
  type PreparedPost,
  preparePost,
  updatePost,
} from "../domain/posts.ts";
import { enqueueItemJob, type ItemJob } from "../federation/item-jobs.ts";
import { sendItemToFollowers } from "../federation/outbox.ts";
import { probeDocument, probeLink } from "../ingest/document.ts";
import { fetchImage } from "../ingest/image.ts";
import { embedUrlFor } from "../ingest/video-links.ts";
import { fedContext, type Services } from "./context.ts";
import { ownMedia } from "./media.ts";

/**
 * An image as an attachment with its real type, width and height: one the item already had stays
 * as it was checked then (an edit never fails on it), an upload of ours is described by its
 * media row, and any other is fetched and read.
 */
async function describeImage(
  services: Services,
  attachment: ItemAttachment,
  previous?: Item,
): Promise<ItemAttachment> {
  const known = previous?.attachments.find((a) => a.url === attachment.url);
  if (known) return { ...known, name: attachment.name };
  const upload = await ownMedia(services, attachment.url);
  if (upload) {
    if (!upload.mediaType.startsWith("image/")) throw new ValidationError("image", "is not an image");
    return mediaAttachment(services.config.publicUrl, upload, attachment.name ?? "");
  }
  return { ...attachment, ...(await fetchImage(attachment.url, "image", services.config)) };
}

/**
 * Validates the editor's input, then reads each image (its real type, width and height) before
 * anything is stored. An image the item already had is not fetched again.
 */
async function prepareWithImages(
  services: Services,
  input: PostInput,
  previous?: Item,
): Promise<PreparedPost> {
  const fields = preparePost(input);
  const attachments: ItemAttachment[] = [];
  for (const attachment of prepareImages(fields.attachments, input.images)) {
    attachments.push(await describeImage(services, attachment, previous));
  }
  const details = fields.details;
  if (details?.kind === "resource" && details.documentUrl) {
    // A document the item already had keeps the type read then; an upload of ours, its own.
    const old = previous?.details?.kind === "resource" ? previous.details : undefined;
    const upload = await ownMedia(services, details.documentUrl);
    const documentType =
      old?.documentUrl === details.documentUrl
        ? old.documentType
        : upload
          ? upload.mediaType
          : await probeDocument(details.documentUrl, services.config);
    return { ...fields, attachments, details: { ...details, ...(documentType && { documentType }) } };
  }
  if (details?.kind === "webcast") {
    const old = previous?.details?.kind === "webcast" ? previous.details : undefined;
    return { ...fields, attachments, details: await probeWebcast(services, details, old) };
  }
  return { ...fields, attachments };
}

/**
 * What a webcast's links are: a page on an allow-listed video host gets its player (nothing is
 * fetched); any other link is read, and is a file Mastodon plays (mp4, webm) or a plain link.
 * The thumbnail must be an image. Links the item already had keep what was read then.
 */
async function probeWebcast(
  services: Services,
  details: WebcastDetails,
  old: WebcastDetails | undefined,
): Promise<WebcastDetails> {
  const probed: WebcastDetails = { ...details };
  if (details.videoUrl) {
    const embedUrl = embedUrlFor(details.videoUrl, services.config.videoEmbedHosts);
    const upload = await ownMedia(services, details.videoUrl);
    const videoType =
      embedUrl || old?.videoUrl === details.videoUrl
        ? old?.videoType
        : upload
          ? upload.mediaType
          : await probeLink(details.videoUrl, "video", services.config);
    if (embedUrl) probed.embedUrl = embedUrl;
    else if (videoType?.startsWith("video/")) probed.videoType = videoType;
  }
  const thumbnail = details.thumbnailUrl && (await ownMedia(services, details.thumbnailUrl));
  if (thumbnail && !thumbnail.mediaType.startsWith("image/")) {
    throw new ValidationError("thumbnail", "is not an image");
  }
  if (details.thumbnailUrl && !thumbnail && details.thumbnailUrl !== old?.thumbnailUrl) {
    await fetchImage(details.thumbnailUrl, "thumbnail", services.config);
  }
  return probed;
}

/**
 * Stores a new article and, in the same transaction, the job that sends its Create. `within`
 * runs in that transaction too (publishing a draft deletes it there), so both or neither happen.
 */
export async function publishPost(
  services: Services,
  account: Account,
  input: PostInput,
  within?: (tx: Tx, item: Item) => Promise<void>,
): Promise<Item> {
  const fields = await prepareWithImages(services, input);
  return services.db.transaction(async (tx) => {
    const item = await createPost(tx, services.config.publicUrl, account, fields);
    await within?.(tx, item);
    await enqueueItemJob(tx, { kind: "item", itemId: item.id, activity: "Create" }, item.iri);
    return item;
  });
}

export async function editPost(services: Services, item: Item, input: PostInput): Promise<Item> {
  const fields = await prepareWithImages(services, input, item);
  return services.db.transaction(async (tx) => {
    const updated = await updatePost(tx, item, fields);
    await enqueueItemJob(tx, { kind: "item", itemId: item.id, activity: "Update" }, item.iri);
    return updated;
  });
}

export async function removePost(services: Services, item: Item): Promise<Item> {
  return services.db.transaction(async (tx) => {
    const deleted = await deletePost(tx, item);
    await enqueueItemJob(tx, { kind: "item", itemId: item.id, activity: "Delete" }, item.iri);
    return deleted;
  });
}

/** Worker side of an item job: builds the activity from the item as it is now and sends it. */
export async function runItemJob(services: Services, job: ItemJob): Promise<void> {
  const item = await findItemById(services.db, job.itemId);
  if (!item?.accountId) return; // gone, or not ours: nothing to send
  const accountId = item.accountId;
  const account = await services.db.query.accounts.findFirst({ where: eq(accounts.id, accountId) });
  if (!account) return;
  await sendItemToFollowers(fedContext(services), account, item, job.activity);
}
