import { and, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { decodeSearchCursor, encodeSearchCursor } from "./cursor.ts";
import type { SearchRequest } from "./params.ts";

/** Facet counts and the total stop at this many matches ("10,000+"). */
export const FACET_CAP = 10_000;
/** Relevance ranks the newest this many matches: ranking all 200,000 of a common word costs seconds. */
export const RANK_WINDOW = 1_000;
/**
 * A word in at least this many entries is "common": its newest matches are found by walking the
 * date index (one in every few rows matches) instead of reading its whole GIN posting list.
 * Measured by bench:search.
 */
export const COMMON_TERM_ENTRIES = 30_000;
/**
 * Title (A), summary (B) and content (C) weights for ts_rank, in its {D, C, B, A} order. ts_rank,
 * not ts_rank_cd: the cover density costs ~0.1 ms a document, ten times more (bench:search).
 */
const WEIGHTS = "{0.1, 0.2, 0.5, 1.0}";
/**
 * The order of every date-ordered read: NULLS LAST as in the indexes (published is never null),
 * without which the planner cannot walk them and sorts every match instead.
 */
const NEWEST_FIRST = sql.raw("published DESC NULLS LAST, item_id DESC NULLS LAST");

/** How one search runs: its tsquery (null: filters only) and whether its words are common. */
export interface SearchPlan {
  query: SQL | null;
  common: boolean;
  /** How many of the newest matches relevance ranks (RANK_WINDOW; smaller in tests). */
  rankWindow?: number;
  /** How many matches facet counts and the total stop at (FACET_CAP; smaller in tests). */
  facetCap?: number;
  /** The share of entries that hold the rarest word (0–1), when the statistics tell. */
  density?: number;
}

/**
 * The request's country, type and language filters as the lexemes every document holds
 * (migration 0021: 'country=lt', 'kind=event', 'language=lv'). Their values are checked by
 * params.ts (letters only), so they cannot break out of the quotes.
 */
function filterLexemes(request: SearchRequest): string[] {
  return [
    request.country && `country=${request.country.toLowerCase()}`,
    request.kind && `kind=${request.kind.toLowerCase()}`,
    request.language && `language=${request.language.toLowerCase()}`,
  ].filter((l): l is string => Boolean(l) && /^[a-z]+=[a-z]+$/.test(l as string));
}

/** The filters' lexemes ANDed as a tsquery; null without them. */
function filterQuery(request: SearchRequest): SQL | null {
  const lexemes = filterLexemes(request);
  if (lexemes.length === 0) return null;
  return sql`${lexemes.map((l) => `'${l}'`).join(" & ")}::tsquery`;
}

/**
 * What the GIN index matches: the words, and the filters' lexemes with them, so that the index
 * intersects a word's posting list with the filter's (a common word under a filter it rarely
 * meets: 20 ms instead of 1.3 s, bench:search) rather than the table being read for the filter.
 */
function textMatch(request: SearchRequest, query: SQL): SQL {
  const filters = filterQuery(request);
  return filters ? sql`s.document @@ (${query} && ${filters})` : sql`s.document @@ ${query}`;
}

/** The WHERE conditions on search_entries (alias s) of a request's filters and text. */
export function conditions(request: SearchRequest, plan: SearchPlan): SQL[] {
  const where: SQL[] = [];
  if (plan.query) where.push(textMatch(request, plan.query));
  // With words, the country, type and language are already lexemes of the text match: their
  // btree and array conditions as well made the planner AND the GIN bitmap with the 195,000
  // entries of country = 'LV' (~50 ms a statement, bench:search) for no row fewer.
  const matched = plan.query ? filterLexemes(request) : [];
  const inText = (name: string, value: string) => matched.includes(`${name}=${value.toLowerCase()}`);
  if (request.country && !inText("country", request.country)) where.push(sql`s.country = ${request.country}`);
  if (request.kind && !inText("kind", request.kind)) where.push(sql`s.kind = ${request.kind}`);
  if (request.language && !inText("language", request.language))
    where.push(sql`s.languages @> ARRAY[${request.language}]::text[]`);
  if (request.library) where.push(sql`s.library_id = ${request.library}`);
  if (request.tag) where.push(sql`s.tags @> ARRAY[${request.tag}]::text[]`);
  if (request.audience) where.push(sql`s.audiences @> ARRAY[${request.audience}]::text[]`);
  if (request.skill) where.push(sql`s.skill = ${request.skill}`);
  if (request.from) where.push(sql`s.published >= ${request.from.toISOString()}::timestamptz`);
  if (request.to) where.push(sql`s.published < ${request.to.toISOString()}::timestamptz`);
  return where;
}

/**
 * Whether a common word's matches are read in the table's or the date index's order: only without
 * filters, which the planner takes as independent of the words (a Lithuanian word and an Estonian
 * library's items are not): a walk that meets no match reads the whole table.
 */
export function walks(request: SearchRequest, plan: SearchPlan): boolean {
  return plan.common && conditions(request, { query: null, common: false }).length === 0;
}

/**
 * Whether a common word's filtered rows are walked newest first (cappedWalk): not under a tag,
 * audience or skill filter. Those have no date-ordered index and no lexeme in the documents, so
 * the walk read the date index until it met enough of their rows (a tag no item has: 580 ms),
 * where the GIN indexes answer in 13 ms (a tag held by a tenth of the items: 0.9–1.3 s → 0.7–0.9 s).
 */
function walksFiltered(request: SearchRequest, plan: SearchPlan): boolean {
  if (!plan.common || walks(request, plan)) return false;
  return !request.tag && !request.audience && !request.skill;
}

export function whereOf(parts: SQL[]): SQL {
  return parts.length ? sql`WHERE ${and(...parts)}` : sql``;
}

/**
 * FROM and WHERE of the matches, as rows s (s.at: their ctid). A word that is not common: its
 * matches from the GIN index first, the filters on them after (OFFSET 0 keeps them apart); the
 * planner would AND its few matches with the filter's btree entries instead, 285,000 of them
 * for country=LT (0.25 s).
 */
export function matches(request: SearchRequest, plan: SearchPlan): SQL {
  const all = sql`SELECT s.ctid AS at, s.* FROM search_entries s`;
  if (!plan.query || plan.common) return sql`FROM (${all}) s ${whereOf(conditions(request, plan))}`;
  const filters = conditions(request, { query: null, common: false });
  return sql`FROM (${all} WHERE ${textMatch(request, plan.query)} OFFSET 0) s ${whereOf(filters)}`;
}

/** Planner settings a statement runs under (SET LOCAL, so only for its transaction). */
export const AVOID_BITMAP = "enable_bitmapscan = off";
export const AVOID_SEQSCAN = "enable_seqscan = off";
/**
 * Room for the bitmap of a common word's matches to stay exact: in the default 4 MB the bitmap of
 * 242,000 matches went lossy, and every row of 4,500 pages was tested again (153 → 90 ms,
 * bench:search). 16 MB holds one entry for every page of a million items' table.
 */
export const EXACT_BITMAP = "work_mem = '16MB'";

/**
 * Runs `work` with the planner steered, e.g. a common word's matches are met every few rows of
 * the date index, so the bitmap of its whole posting list (and a sort of all of it) is the slow way.
 */
export async function steered<T>(db: Db, settings: string[], work: (tx: Db | Tx) => Promise<T>) {
  if (settings.length === 0) return work(db);
  return db.transaction(async (tx) => {
    for (const setting of settings) await tx.execute(sql.raw(`SET LOCAL ${setting}`));
    return work(tx);
  });
}

export type PageRow = {
  item_id: string;
  published: string;
  rank: string | null;
};

/** A capped walk first reads at most this many filtered rows per match it needs. */
const WALK_ROWS_PER_MATCH = 2;
/**
 * The most filtered rows a second, longer walk reads (~8 ms per 1,000 rows of ~1 kB). Beyond it
 * the GIN path is cheaper: it reads every match's row, 42,000 of them for an English word under
 * country=LT (~700 ms), where walking 8,300 rows found its newest 1,000 in ~60 ms (bench:search).
 */
const MAX_WALK_ROWS = 12_000;

/** A walk's request: its plan, order, keyset after the cursor, and rows the page takes. */
interface Walk {
  request: SearchRequest;
  plan: SearchPlan & { query: SQL };
  byRelevance: boolean;
  keyset: SQL[];
  take: number;
}

/** Matches a walk must meet: the ranked window by relevance, the page by date. */
function matchesNeeded({ plan, byRelevance, take }: Walk): number {
  return byRelevance ? (plan.rankWindow ?? RANK_WINDOW) : take;
}

/**
 * A common word under filters: walk the filtered rows newest first, testing each document, and
 * stop at `need` matches or after `cap` rows; returns the matches found (at most `need`).
 */
async function walkFiltered(db: Db, walked: Walk, cap: number): Promise<{ rows: PageRow[]; found: number }> {
  const { request, plan, byRelevance, keyset, take } = walked;
  const need = matchesNeeded(walked);
  const filtered = conditions(request, { query: null, common: false });
  const rank = byRelevance
    ? sql`ts_rank(${WEIGHTS}::real[], w.document, ${plan.query}, 32)`
    : sql`NULL::real`;
  // The inner LIMIT caps the walk; the outer one stops it at the matches needed.
  const walk = sql`SELECT w.item_id, w.published, ${rank} AS rank FROM (
      SELECT s.item_id, s.published, s.document FROM search_entries s
      ${whereOf([...filtered, ...(byRelevance ? [] : keyset)])}
      ORDER BY ${NEWEST_FIRST} LIMIT ${cap}) w
    WHERE w.document @@ ${plan.query} ORDER BY ${NEWEST_FIRST} LIMIT ${need}`;
  const statement = byRelevance
    ? sql`WITH newest AS MATERIALIZED (${walk})
      SELECT r.item_id, r.published, r.rank::text AS rank, (SELECT count(*) FROM newest)::int AS found
      FROM newest r ${whereOf(keyset)} ORDER BY r.rank DESC, r.published DESC, r.item_id DESC LIMIT ${take}`
    : sql`SELECT r.item_id, r.published, NULL AS rank, count(*) OVER ()::int AS found FROM (${walk}) r`;
  const rows = await steered(db, [AVOID_BITMAP], (tx) => tx.execute<PageRow & { found: number }>(statement));
  return {
    rows: rows.map(({ item_id, published, rank }) => ({ item_id, published, rank })),
    found: rows[0]?.found ?? 0,
  };
}

/**
 * A common word under filters, walked (walkFiltered) where it is frequent among the filtered rows
 * (a Lithuanian word, country=LT: its newest matches within a few thousand rows). A first short
 * walk measures how often the word occurs among them; when it met some but too few, a second walk
 * long enough for that density follows, up to MAX_WALK_ROWS. Null when the word is too rare
 * there (none met, or too long a walk): the GIN index, which intersects the word with the
 * filter's lexemes, answers instead.
 */
async function cappedWalk(db: Db, walked: Walk): Promise<PageRow[] | null> {
  const need = matchesNeeded(walked);
  const cap = need * WALK_ROWS_PER_MATCH;
  const first = await walkFiltered(db, walked, cap);
  if (first.found >= need) return first.rows;
  if (first.found === 0) return null;
  // A quarter more than the density met predicts, so that a second walk rarely falls short.
  const longer = Math.ceil(((need * cap) / first.found) * 1.25);
  if (longer > MAX_WALK_ROWS) return null;
  const second = await walkFiltered(db, walked, longer);
  return second.found >= need ? second.rows : null;
}

/** One page of matching item ids in the request's order, and the cursor after it. */
export async function pageOfMatches(
  db: Db,
  request: SearchRequest,
  plan: SearchPlan,
): Promise<{ rows: PageRow[]; next: string | null }> {
  const byRelevance = request.sort === "relevance" && plan.query != null;
  const after = request.cursor
    ? decodeSearchCursor(request.cursor, byRelevance ? "relevance" : "date")
    : null;
  const where = conditions(request, plan);
  const take = request.limit + 1;
  let statement: SQL;
  const walked =
    plan.query && walksFiltered(request, plan)
      ? await cappedWalk(db, {
          request,
          plan: { ...plan, query: plan.query },
          byRelevance,
          keyset: keysetOf(after, byRelevance),
          take,
        })
      : null;
  if (walked) return pageFrom(walked, request.limit, byRelevance);
  if (!byRelevance) {
    const keyset = keysetOf(after, false);
    statement =
      plan.query && !walks(request, plan)
        ? // A rare word: all its matches from the GIN index first, then the newest of them.
          sql`WITH hits AS MATERIALIZED (SELECT s.item_id, s.published ${matches(request, plan)})
            SELECT s.item_id, s.published, NULL AS rank FROM hits s ${whereOf(keyset)}
            ORDER BY ${NEWEST_FIRST} LIMIT ${take}`
        : sql`SELECT s.item_id, s.published, NULL AS rank FROM search_entries s ${whereOf([...where, ...keyset])}
            ORDER BY ${NEWEST_FIRST} LIMIT ${take}`;
  } else {
    const keyset = keysetOf(after, true);
    const rank = sql`ts_rank(${WEIGHTS}::real[], s.document, ${plan.query}, 32)`;
    // A common word: its newest matches from the date index, each ranked as it is read (its
    // document is in the row at hand). Otherwise all matches from the GIN index, then the newest
    // of them ranked, each row read again by its ctid (no index lookup).
    const newest = walks(request, plan)
      ? sql`newest AS MATERIALIZED (SELECT s.item_id, s.published, ${rank} AS rank
          FROM search_entries s ${whereOf(where)} ORDER BY ${NEWEST_FIRST} LIMIT ${plan.rankWindow ?? RANK_WINDOW})`
      : sql`hits AS MATERIALIZED (SELECT s.at, s.item_id, s.published ${matches(request, plan)}),
        recent AS MATERIALIZED (SELECT s.at, s.item_id, s.published FROM hits s ORDER BY ${NEWEST_FIRST} LIMIT ${plan.rankWindow ?? RANK_WINDOW}),
        newest AS (SELECT w.item_id, w.published, d.rank FROM recent w CROSS JOIN LATERAL (
          SELECT ${rank} AS rank FROM search_entries s WHERE s.ctid = w.at) AS d)`;
    statement = sql`WITH ${newest}
      SELECT r.item_id, r.published, r.rank::text AS rank FROM newest r ${whereOf(keyset)}
      ORDER BY r.rank DESC, r.published DESC, r.item_id DESC LIMIT ${take}`;
  }
  // A common word under filters that the walk did not answer: its bitmap, kept exact.
  const settings = walks(request, plan) ? [AVOID_BITMAP] : plan.common ? [EXACT_BITMAP] : [];
  const rows = await steered(db, settings, (tx) => tx.execute<PageRow>(statement));
  return pageFrom([...rows], request.limit, byRelevance);
}

/** The rows after a cursor: by date on search_entries (s), by relevance on the ranked rows (r). */
function keysetOf(after: ReturnType<typeof decodeSearchCursor> | null, byRelevance: boolean): SQL[] {
  if (!after) return [];
  const at = sql`${after.published.toISOString()}::timestamptz`;
  return byRelevance
    ? [sql`(r.rank, r.published, r.item_id) < (${after.rank ?? "0"}::real, ${at}, ${after.id}::uuid)`]
    : [sql`(s.published, s.item_id) < (${at}, ${after.id}::uuid)`];
}

/** A page of `limit` rows (one more was asked for, to know a next page exists) and its cursor. */
function pageFrom(
  rows: PageRow[],
  limit: number,
  byRelevance: boolean,
): { rows: PageRow[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next =
    rows.length > limit && last
      ? encodeSearchCursor({
          sort: byRelevance ? "relevance" : "date",
          rank: byRelevance ? (last.rank ?? "0") : undefined,
          published: new Date(last.published),
          id: last.item_id,
        })
      : null;
  return { rows: page, next };
}
