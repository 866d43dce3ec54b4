import type { Account } from "../domain/accounts.ts";
import { type Draft, deleteDraft, markImportPublished } from "../domain/drafts.ts";
import { ValidationError } from "../domain/errors.ts";
import type { Item } from "../domain/items.ts";
import type { PostInput } from "../domain/posts.ts";
import type { Services } from "./context.ts";
import { publishPost } from "./publishing.ts";

/**
 * Publishes a draft (as the editor last changed it, or `input`): validated and stored like any
 * post, and the draft deleted in the same transaction, so it is published once or not at all.
 */
export function publishDraft(
  services: Services,
  account: Account,
  draft: Draft,
  input: PostInput = draft.input,
): Promise<Item> {
  if (draft.accountId !== account.id) throw new ValidationError("draft", "belongs to another account");
  // An imported draft keeps its source's date, as WordPress imports do.
  const dated = { ...input, published: input.published ?? draft.sourcePublished?.toISOString() };
  return publishPost(services, account, dated, async (tx, item) => {
    // Two clicks on Publish: the second finds the draft gone and rolls its post back.
    if (!(await deleteDraft(tx, draft)))
      throw new ValidationError("draft", "was already published or deleted");
    if (draft.importKey) await markImportPublished(tx, account.id, draft.importKey, item.id);
  });
}
