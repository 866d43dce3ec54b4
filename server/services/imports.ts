import type { Account } from "../domain/accounts.ts";
import {
  createDraft,
  type Draft,
  findDraftByImportKey,
  knownImportKeys,
  publishedImport,
  recordImport,
} from "../domain/drafts.ts";
import { ValidationError } from "../domain/errors.ts";
import type { Item } from "../domain/items.ts";
import { MAX_TITLE, type PostInput, summarize } from "../domain/posts.ts";
import type { FeedEntry, ParsedFeed } from "../ingest/feed.ts";
import { type ImportedPage, importPage } from "../ingest/page-import.ts";
import { htmlToText } from "../ingest/sanitize.ts";
import type { Services } from "./context.ts";
import { publishPost } from "./publishing.ts";

/** An entry with less text than this carries only an excerpt: its page is read instead. */
export const FULL_TEXT_MIN = 400;

/** Another import (a poll, a backfill) took the same key in first. */
class AlreadyImported extends Error {}

/** What an import becomes, before it is stored. */
interface Imported {
  input: PostInput;
  importKey: string;
  sourceUrl: string | null;
  sourcePublished: Date | null;
}

function cut(title: string): string {
  return title.length <= MAX_TITLE ? title : `${title.slice(0, MAX_TITLE - 1).replace(/\s+\S*$/, "")}…`;
}

/** Feed categories as hashtags: letters, digits and _ only ("Skaitymo skatinimas" → SkaitymoSkatinimas). */
function hashtags(categories: string[]): string[] {
  const tags = categories.map((c) =>
    c
      .split(/[^\p{L}\p{N}_]+/u)
      .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
      .join(""),
  );
  return [...new Set(tags.filter((t) => t.length >= 1 && t.length <= 64))].slice(0, 20);
}

function pageInput(page: ImportedPage): PostInput {
  const byline = page.byline ? `<p>— ${escapeText(page.byline)}</p>` : "";
  return {
    type: "article",
    title: cut(page.title),
    summary: page.excerpt ? summarize(page.excerpt, 480) : undefined,
    content: page.content + byline,
    format: "html",
    language: page.language ?? undefined,
    imageUrl: page.leadImage ?? undefined,
    imageAlt: page.leadImageAlt ?? undefined,
  };
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Stores an import as a post: validated and published like any post, with the import key
 * recorded in the same transaction. An image that cannot be used (no alt text, not fetchable,
 * SVG) is left out rather than losing the entry; the editor can add it later.
 */
async function publishImported(
  services: Services,
  account: Account,
  imported: Imported,
  dedup: "ledger" | "again",
): Promise<Item> {
  const attempt = (input: PostInput) =>
    publishPost(
      services,
      account,
      { ...input, published: imported.sourcePublished?.toISOString() },
      async (tx, item) => {
        const entry = {
          accountId: account.id,
          importKey: imported.importKey,
          sourceUrl: imported.sourceUrl,
          itemId: item.id,
        };
        if (!(await recordImport(tx, entry, dedup === "again"))) throw new AlreadyImported();
      },
    );
  const withoutImage = { ...imported.input, imageUrl: undefined, imageAlt: undefined };
  if (!imported.input.imageAlt?.trim()) return attempt(withoutImage);
  try {
    return await attempt(imported.input);
  } catch (error) {
    if (error instanceof ValidationError && error.field === "image") return attempt(withoutImage);
    throw error;
  }
}

async function saveImportedDraft(
  services: Services,
  account: Account,
  imported: Imported,
  dedup: "ledger" | "again",
): Promise<Draft> {
  return services.db.transaction(async (tx) => {
    // A feed entry is taken once ("ledger"); a page an editor imports again is taken again.
    const entry = { accountId: account.id, importKey: imported.importKey, sourceUrl: imported.sourceUrl };
    if (!(await recordImport(tx, entry, dedup === "again"))) throw new AlreadyImported();
    return createDraft(tx, account.id, imported);
  });
}

export type PageImportResult =
  | { kind: "draft"; draft: Draft; existing: boolean }
  | { kind: "post"; item: Item };

/**
 * Imports a web page as a draft (or, with `publish`, as a post). A page whose canonical URL
 * already has a draft opens that draft instead of making a second one.
 */
export async function importPageAs(
  services: Services,
  account: Account,
  url: string,
  options: { publish?: boolean } = {},
): Promise<PageImportResult> {
  if (!url.trim()) throw new ValidationError("url", "must not be empty");
  const page = await importPage(url.trim(), services.config);
  const importKey = page.canonicalUrl;
  const existing = await findDraftByImportKey(services.db, account.id, importKey);
  const imported = {
    input: pageInput(page),
    importKey,
    sourceUrl: page.url,
    sourcePublished: page.published,
  };
  if (options.publish) {
    const published = await publishedImport(services.db, account.id, importKey);
    if (published) throw new ValidationError("url", `${page.url} was already published as ${published}`);
    return { kind: "post", item: await publishImported(services, account, imported, "again") };
  }
  if (existing) return { kind: "draft", draft: existing, existing: true };
  return {
    kind: "draft",
    draft: await saveImportedDraft(services, account, imported, "again"),
    existing: false,
  };
}

/** A feed entry as a post input; an excerpt-only entry gets its linked page's article. */
async function entryImport(services: Services, entry: FeedEntry, feed: ParsedFeed): Promise<Imported> {
  let input: PostInput = {
    type: "article",
    title: cut(entry.title),
    summary: entry.excerpt ? summarize(entry.excerpt, 480) : undefined,
    content: entry.content,
    format: "html",
    language: feed.language ?? undefined,
    tags: hashtags(entry.categories),
    imageUrl: entry.image ?? undefined,
  };
  let published = entry.published;
  if (htmlToText(entry.content).length < FULL_TEXT_MIN) {
    if (!entry.link) throw new ValidationError("entry", "has only an excerpt and no link to read the rest");
    const page = await importPage(entry.link, services.config, "entry link");
    const fromPage = pageInput(page);
    input = {
      ...input,
      title: input.title || fromPage.title,
      summary: input.summary ?? fromPage.summary,
      content: fromPage.content,
      language: input.language ?? fromPage.language,
      imageUrl: input.imageUrl ?? fromPage.imageUrl,
      imageAlt: input.imageUrl ? undefined : fromPage.imageAlt,
    };
    published ??= page.published;
  }
  return { input, importKey: entry.key, sourceUrl: entry.link, sourcePublished: published };
}

export interface FeedImportSummary {
  total: number;
  imported: number;
  skipped: number;
  failed: { entry: string; reason: string }[];
}

export interface FeedImportOptions {
  /** "publish": entries become posts; "draft": drafts to review. */
  mode: "draft" | "publish";
  /** Only the newest N entries. */
  limit?: number;
  /** Called after each entry (for the CLI's progress bar). */
  onProgress?: (done: number, total: number, summary: FeedImportSummary) => void;
}

/**
 * Imports a parsed feed's entries the account has not taken in yet, oldest first (so posts
 * appear in the order the website published them). Each entry is stored whole or not at all; a
 * failed one is reported with its reason and tried again at the next poll.
 */
export async function importFeedEntries(
  services: Services,
  account: Account,
  feed: ParsedFeed,
  options: FeedImportOptions,
): Promise<FeedImportSummary> {
  const entries = feed.entries.slice(0, options.limit ?? feed.entries.length).reverse();
  const summary: FeedImportSummary = { total: entries.length, imported: 0, skipped: 0, failed: [] };
  const known = await knownImportKeys(
    services.db,
    account.id,
    entries.map((e) => e.key),
  );
  for (const [index, entry] of entries.entries()) {
    if (known.has(entry.key)) summary.skipped++;
    else {
      try {
        const imported = await entryImport(services, entry, feed);
        if (options.mode === "publish") await publishImported(services, account, imported, "ledger");
        else await saveImportedDraft(services, account, imported, "ledger");
        summary.imported++;
      } catch (error) {
        if (error instanceof AlreadyImported) summary.skipped++;
        else if (error instanceof ValidationError) {
          summary.failed.push({ entry: entry.link ?? entry.key, reason: error.message });
        } else throw error;
      }
    }
    options.onProgress?.(index + 1, entries.length, summary);
  }
  return summary;
}
