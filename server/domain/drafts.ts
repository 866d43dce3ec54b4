import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { drafts, importedEntries, items } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { MAX_CONTENT, type PostInput } from "./posts.ts";

export type Draft = typeof drafts.$inferSelect;

export interface NewDraft {
  input: PostInput;
  sourceUrl?: string | null;
  sourcePublished?: Date | null;
  importKey?: string | null;
}

/** A draft need not be publishable yet, only bounded: what a form or an import could hold. */
function checkedInput(input: PostInput): PostInput {
  if (input.title.length > 2000) throw new ValidationError("title", "is far too long for a draft");
  if (input.content.length > MAX_CONTENT) {
    throw new ValidationError("content", `must be at most ${MAX_CONTENT} characters`);
  }
  if ((input.summary?.length ?? 0) > 10_000) throw new ValidationError("summary", "is far too long");
  return input;
}

export async function createDraft(db: Db | Tx, accountId: string, draft: NewDraft): Promise<Draft> {
  const [row] = await db
    .insert(drafts)
    .values({
      id: uuidv7(),
      accountId,
      input: checkedInput(draft.input),
      sourceUrl: draft.sourceUrl ?? null,
      sourcePublished: draft.sourcePublished ?? null,
      importKey: draft.importKey ?? null,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** The account's drafts, the last edited first. */
export function listDrafts(db: Db, accountId: string, limit = 200): Promise<Draft[]> {
  return db.query.drafts.findMany({
    where: eq(drafts.accountId, accountId),
    orderBy: [desc(drafts.updatedAt), desc(drafts.id)],
    limit,
  });
}

/** One of the account's drafts; undefined for another account's or a malformed id. */
export function findDraft(db: Db, accountId: string, id: string): Promise<Draft | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return Promise.resolve(undefined);
  return db.query.drafts.findFirst({ where: and(eq(drafts.id, id), eq(drafts.accountId, accountId)) });
}

export function findDraftByImportKey(db: Db, accountId: string, importKey: string) {
  return db.query.drafts.findFirst({
    where: and(eq(drafts.accountId, accountId), eq(drafts.importKey, importKey)),
  });
}

export async function updateDraft(db: Db, draft: Draft, input: PostInput): Promise<Draft> {
  const [row] = await db
    .update(drafts)
    .set({ input: checkedInput(input), updatedAt: new Date() })
    .where(eq(drafts.id, draft.id))
    .returning();
  if (!row) throw new ValidationError("draft", "was deleted meanwhile");
  return row;
}

/** True when the draft was still there (a second publish of the same draft finds it gone). */
export async function deleteDraft(db: Db | Tx, draft: Pick<Draft, "id" | "accountId">): Promise<boolean> {
  const rows = await db
    .delete(drafts)
    .where(and(eq(drafts.id, draft.id), eq(drafts.accountId, draft.accountId)))
    .returning({ id: drafts.id });
  return rows.length > 0;
}

/**
 * Records that `importKey` was taken in; false when it already was (another poll, another
 * worker). Called in the transaction that stores the draft or the post.
 */
export async function recordImport(
  db: Db | Tx,
  entry: { accountId: string; importKey: string; sourceUrl?: string | null; itemId?: string | null },
  /** An editor's explicit page import takes a key again: the record then names the new post. */
  again = false,
): Promise<boolean> {
  const values = {
    accountId: entry.accountId,
    importKey: entry.importKey,
    sourceUrl: entry.sourceUrl ?? null,
    itemId: entry.itemId ?? null,
  };
  const insert = db.insert(importedEntries).values(values);
  const rows = await (again
    ? insert.onConflictDoUpdate({
        target: [importedEntries.accountId, importedEntries.importKey],
        set: { sourceUrl: values.sourceUrl, itemId: values.itemId, importedAt: new Date() },
      })
    : insert.onConflictDoNothing()
  ).returning({ key: importedEntries.importKey });
  return rows.length > 0;
}

/** The post an import key became, if it was published and the post is still there. */
export async function publishedImport(db: Db, accountId: string, importKey: string) {
  const [row] = await db
    .select({ iri: items.iri })
    .from(importedEntries)
    .innerJoin(items, eq(items.id, importedEntries.itemId))
    .where(
      and(
        eq(importedEntries.accountId, accountId),
        eq(importedEntries.importKey, importKey),
        isNull(items.deletedAt),
      ),
    );
  return row?.iri;
}

/** Marks an imported draft's entry as published as `itemId`. */
export async function markImportPublished(
  db: Db | Tx,
  accountId: string,
  importKey: string,
  itemId: string,
): Promise<void> {
  await db
    .update(importedEntries)
    .set({ itemId })
    .where(and(eq(importedEntries.accountId, accountId), eq(importedEntries.importKey, importKey)));
}

/** Of `keys`, those the account has already imported. */
export async function knownImportKeys(db: Db, accountId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ key: importedEntries.importKey })
    .from(importedEntries)
    .where(and(eq(importedEntries.accountId, accountId), inArray(importedEntries.importKey, keys)));
  return new Set(rows.map((r) => r.key));
}
