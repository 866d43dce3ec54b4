import type { Account } from "../domain/accounts.ts";
import type { Item } from "../domain/items.ts";
import { createPost, deletePost, type PostInput, updatePost } from "../domain/posts.ts";
import { sendItemToFollowers } from "../federation/outbox.ts";
import { fedContext, type Services } from "./context.ts";

/** Stores a new article and queues its Create to every follower (shared inboxes). */
export async function publishPost(services: Services, account: Account, input: PostInput): Promise<Item> {
  const item = await createPost(services.db, services.config.publicUrl, account, input);
  await sendItemToFollowers(fedContext(services), account, item, "Create");
  return item;
}

export async function editPost(
  services: Services,
  account: Account,
  item: Item,
  input: PostInput,
): Promise<Item> {
  const updated = await updatePost(services.db, item, input);
  await sendItemToFollowers(fedContext(services), account, updated, "Update");
  return updated;
}

export async function removePost(services: Services, account: Account, item: Item): Promise<Item> {
  const deleted = await deletePost(services.db, item);
  await sendItemToFollowers(fedContext(services), account, deleted, "Delete");
  return deleted;
}
