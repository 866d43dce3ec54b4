import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { accounts, items, remoteActors, searchEntries } from "../db/schema/index.ts";
import type { Item, ItemAuthor } from "../domain/items.ts";
import { escapeHtml } from "../http/escape.ts";
import type { PageRow } from "./plan.ts";

/** One search result: the item, who published it where, and its snippet. */
export interface SearchHit {
  item: Item;
  author: ItemAuthor;
  country: string | null;
  kind: string;
  languages: string[];
  /** Safe HTML: the text escaped, the matched words in <mark>; empty when nothing to show. */
  snippet: string;
}

const START = "\u0001";
const STOP = "\u0002";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The stripped HTML ts_headline saw, decoded, escaped, and its marks made <mark>. */
export function snippetHtml(headline: string): string {
  const decoded = headline.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : " ";
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
  return escapeHtml(decoded.replace(/\s+/g, " ").trim())
    .replaceAll(START, "<mark>")
    .replaceAll(STOP, "</mark>");
}

/**
 * The items of a page, in its order, with snippets: ts_headline runs only here, on the page's
 * rows (it re-parses the text), never on all matches. A row deleted since is left out.
 */
export async function hydrate(
  db: Db,
  publicOrigin: URL,
  rows: PageRow[],
  query: SQL | null,
): Promise<SearchHit[]> {
  if (rows.length === 0) return [];
  // The marks are control characters, removed from the text first, so the text cannot fake one.
  // Our summaries are often the content's first sentences: then the content alone, not both.
  const body = sql`regexp_replace(left(${items.content}, 40000), '<[^>]*>', ' ', 'g')`;
  const text = sql`regexp_replace(left(CASE WHEN strpos(${body}, ${items.summary}) > 0 THEN ${body}
    ELSE ${items.summary} || ' ' || ${body} END, 20000), '[\x01\x02]', '', 'g')`;
  const headline = query
    ? sql<string>`ts_headline(search_config(${items.language}), ${text}, ${query},
        'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "')`
    : sql<string>`left(${items.summary}, 300)`;
  const found = await db
    .select({
      item: items,
      snippet: headline,
      country: searchEntries.country,
      kind: searchEntries.kind,
      languages: searchEntries.languages,
      account: { username: accounts.username, name: accounts.name },
      remote: {
        iri: remoteActors.iri,
        name: remoteActors.name,
        handle: remoteActors.handle,
        url: remoteActors.url,
      },
    })
    .from(items)
    .innerJoin(searchEntries, eq(searchEntries.itemId, items.id))
    .leftJoin(accounts, eq(accounts.id, items.accountId))
    .leftJoin(remoteActors, eq(remoteActors.id, items.remoteActorId))
    .where(
      inArray(
        items.id,
        rows.map((row) => row.item_id),
      ),
    );
  const byId = new Map(found.map((row) => [row.item.id, row]));
  const hits: SearchHit[] = [];
  for (const { item_id } of rows) {
    const row = byId.get(item_id);
    if (!row) continue;
    const profile = row.account ? new URL(`/users/${row.account.username}`, publicOrigin).href : null;
    const author: ItemAuthor =
      row.account && profile
        ? {
            id: profile,
            name: row.account.name,
            handle: `${row.account.username}@${publicOrigin.host}`,
            url: profile,
          }
        : {
            id: row.remote?.iri ?? "",
            name: row.remote?.name ?? "",
            handle: row.remote?.handle ?? "",
            url: row.remote?.url ?? row.remote?.iri ?? null,
          };
    hits.push({
      item: row.item,
      author,
      country: row.country,
      kind: row.kind,
      languages: row.languages,
      snippet: snippetHtml(row.snippet ?? ""),
    });
  }
  return hits;
}
