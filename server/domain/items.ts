import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { accounts, items, remoteActors } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";

export type Item = typeof items.$inferSelect;

export interface ItemAuthor {
  id: string;
  name: string;
  handle: string;
  url: string | null;
}

export interface ItemWithAuthor extends Item {
  author: ItemAuthor;
}

/** The position after an item in newest-first order, opaque to clients. */
export function encodeCursor(item: Pick<Item, "published" | "id">): string {
  return Buffer.from(`${item.published.toISOString()}|${item.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { published: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  // Exactly what encodeCursor writes: JavaScript accepts dates PostgreSQL cannot store (+275760).
  const published = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso ?? "") ? new Date(iso ?? "") : null;
  if (!id || !published || Number.isNaN(published.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ValidationError("cursor", "is not a cursor this server gave out");
  }
  return { published, id };
}

export interface ListItemsOptions {
  limit: number;
  cursor?: string;
  /** Only received items (from followed actors), or only our own. */
  origin?: "local" | "remote";
  accountId?: string;
  tag?: string;
  /** Only items of this ActivityStreams type (Article, Event…). */
  type?: string;
}

/** Items newest first, keyset-paginated on (published, id); deleted ones left out. */
export async function listItems(
  db: Db,
  publicOrigin: URL,
  options: ListItemsOptions,
): Promise<{ items: ItemWithAuthor[]; nextCursor: string | null }> {
  // Replies to our items are counted on the item they answer, not listed as posts of their own.
  const ours = publicOrigin.origin;
  const conditions = [
    isNull(items.deletedAt),
    sql`(${items.inReplyTo} IS NULL OR left(${items.inReplyTo}, ${ours.length + 1}) <> ${`${ours}/`})`,
  ];
  if (options.cursor) {
    const after = decodeCursor(options.cursor);
    conditions.push(
      or(
        lt(items.published, after.published),
        and(eq(items.published, after.published), lt(items.id, after.id)),
      )!,
    );
  }
  if (options.origin === "local") conditions.push(isNull(items.remoteActorId));
  if (options.origin === "remote") conditions.push(isNull(items.accountId));
  if (options.accountId) conditions.push(eq(items.accountId, options.accountId));
  if (options.type) conditions.push(eq(items.type, options.type));
  if (options.tag) {
    // Tag links are lowercased (#LIS → /tags/lis); match case-insensitively.
    conditions.push(
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(${items.tags}) AS tag WHERE lower(tag) = lower(${options.tag}))`,
    );
  }
  const rows = await db
    .select({ item: items, account: accounts, remote: remoteActors })
    .from(items)
    .leftJoin(accounts, eq(accounts.id, items.accountId))
    .leftJoin(remoteActors, eq(remoteActors.id, items.remoteActorId))
    .where(and(...conditions))
    .orderBy(desc(items.published), desc(items.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit).map((row) => ({
    ...row.item,
    author: authorOf(row.account, row.remote, publicOrigin),
  }));
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

function authorOf(
  account: typeof accounts.$inferSelect | null,
  remote: typeof remoteActors.$inferSelect | null,
  publicOrigin: URL,
): ItemAuthor {
  if (account) {
    const id = new URL(`/users/${account.username}`, publicOrigin).href;
    return { id, name: account.name, handle: `${account.username}@${publicOrigin.host}`, url: id };
  }
  if (remote)
    return { id: remote.iri, name: remote.name, handle: remote.handle, url: remote.url ?? remote.iri };
  return { id: "", name: "", handle: "", url: null };
}

export function findItemById(db: Db, id: string): Promise<Item | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return Promise.resolve(undefined);
  return db.query.items.findFirst({ where: eq(items.id, id) });
}

export function findItemByIri(db: Db, iri: string): Promise<Item | undefined> {
  return db.query.items.findFirst({ where: eq(items.iri, iri) });
}

/** One language version of an item, as a page shows it. */
export interface ItemVersion {
  language: string | null;
  title: string;
  summary: string;
  content: string;
}

/** The languages an item is written in: its own first. */
export function itemLanguages(item: Pick<Item, "language" | "translations">): string[] {
  return [...(item.language ? [item.language] : []), ...Object.keys(item.translations ?? {})];
}

/** The version in `wanted` when the item has one, otherwise the item's own. */
export function itemVersion(item: Item, wanted: string | undefined): ItemVersion {
  const translation = wanted && wanted !== item.language ? item.translations?.[wanted] : undefined;
  if (translation) return { language: wanted ?? null, ...translation };
  return { language: item.language, title: item.title, summary: item.summary, content: item.content };
}
