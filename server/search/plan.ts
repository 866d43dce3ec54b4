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
}

/**
 * The request's country, type and language filters as the lexemes every document holds
 * (migration 0021: 'country=lt', 'kind=event', 'language=lv'), ANDed; null without them. Their
 * values are checked by params.ts (letters only), so they cannot break out of the quotes.
 */
function filterLexemes(request: SearchRequest): SQL | null {
  const lexemes = [
    request.country && `country=${request.country.toLowerCase()}`,
    request.kind && `kind=${request.kind.toLowerCase()}`,
    request.language && `language=${request.language.toLowerCase()}`,
  ].filter((l): l is string => Boolean(l) && /^[a-z]+=[a-z]+$/.test(l as string));
  if (lexemes.length === 0) return null;
  return sql`${lexemes.map((l) => `'${l}'`).join(" & ")}::tsquery`;
}

/**
 * What the GIN index matches: the words, and the filters' lexemes with them, so that the index
 * intersects a word's posting list with the filter's (a common word under a filter it rarely
 * meets: 20 ms instead of 1.3 s, bench:search) rather than the table being read for the filter.
 */
function textMatch(request: SearchRequest, query: SQL): SQL {
  const filters = filterLexemes(request);
  return filters ? sql`s.document @@ (${query} && ${filters})` : sql`s.document @@ ${query}`;
}

/** The WHERE conditions on search_entries (alias s) of a request's filters and text. */
export function conditions(request: SearchRequest, plan: SearchPlan): SQL[] {
  const where: SQL[] = [];
  if (plan.query) where.push(textMatch(request, plan.query));
  if (request.country) where.push(sql`s.country = ${request.country}`);
  if (request.library) where.push(sql`s.library_id = ${request.library}`);
  if (request.kind) where.push(sql`s.kind = ${request.kind}`);
  if (request.language) where.push(sql`s.languages @> ARRAY[${request.language}]::text[]`);
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
function walks(request: SearchRequest, plan: SearchPlan): boolean {
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

function whereOf(parts: SQL[]): SQL {
  return parts.length ? sql`WHERE ${and(...parts)}` : sql``;
}

/**
 * FROM and WHERE of the matches, as rows s (s.at: their ctid). A word that is not common: its
 * matches from the GIN index first, the filters on them after (OFFSET 0 keeps them apart); the
 * planner would AND its few matches with the filter's btree entries instead, 285,000 of them
 * for country=LT (0.25 s).
 */
function matches(request: SearchRequest, plan: SearchPlan): SQL {
  const all = sql`SELECT s.ctid AS at, s.* FROM search_entries s`;
  if (!plan.query || plan.common) return sql`FROM (${all}) s ${whereOf(conditions(request, plan))}`;
  const filters = conditions(request, { query: null, common: false });
  return sql`FROM (${all} WHERE ${textMatch(request, plan.query)} OFFSET 0) s ${whereOf(filters)}`;
}

/**
 * Runs `work` with the planner steered: a common word's matches are met every few rows of the
 * date index, so the bitmap of its whole posting list (and a sort of all of it) is the slow way.
 */
async function steered<T>(db: Db, avoidBitmap: boolean, work: (tx: Db | Tx) => Promise<T>) {
  if (!avoidBitmap) return work(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw("SET LOCAL enable_bitmapscan = off"));
    return work(tx);
  });
}

export type PageRow = {
  item_id: string;
  published: string;
  rank: string | null;
};

/** A capped walk reads at most this many filtered rows per match it needs before giving up. */
const WALK_ROWS_PER_MATCH = 2;

/**
 * A common word under filters: walk the filtered rows newest first, testing each document, and
 * stop at `need` matches or WALK_ROWS_PER_MATCH × need rows. Where the word is frequent among the
 * filtered rows (a Lithuanian word, country=LT) this finds the newest matches in a few thousand
 * rows; where it is not, the walk gives up early (null) and the GIN index, which intersects the
 * word with the filter's lexemes, answers instead.
 */
async function cappedWalk(
  db: Db,
  request: SearchRequest,
  plan: SearchPlan & { query: SQL },
  byRelevance: boolean,
  keyset: SQL[],
  take: number,
): Promise<PageRow[] | null> {
  const need = byRelevance ? (plan.rankWindow ?? RANK_WINDOW) : take;
  const filtered = conditions(request, { query: null, common: false });
  const rank = byRelevance
    ? sql`ts_rank(${WEIGHTS}::real[], w.document, ${plan.query}, 32)`
    : sql`NULL::real`;
  // The inner LIMIT caps the walk; the outer one stops it at the matches needed.
  const walk = sql`SELECT w.item_id, w.published, ${rank} AS rank FROM (
      SELECT s.item_id, s.published, s.document FROM search_entries s
      ${whereOf([...filtered, ...(byRelevance ? [] : keyset)])}
      ORDER BY ${NEWEST_FIRST} LIMIT ${need * WALK_ROWS_PER_MATCH}) w
    WHERE w.document @@ ${plan.query} ORDER BY ${NEWEST_FIRST} LIMIT ${need}`;
  const statement = byRelevance
    ? sql`WITH newest AS MATERIALIZED (${walk})
      SELECT r.item_id, r.published, r.rank::text AS rank, (SELECT count(*) FROM newest)::int AS found
      FROM newest r ${whereOf(keyset)} ORDER BY r.rank DESC, r.published DESC, r.item_id DESC LIMIT ${take}`
    : sql`SELECT r.item_id, r.published, NULL AS rank, count(*) OVER ()::int AS found FROM (${walk}) r`;
  const rows = await steered(db, true, (tx) => tx.execute<PageRow & { found: number }>(statement));
  const found = rows[0]?.found ?? 0;
  // Fewer than needed: the word is rare among these rows, or they ran out; the index knows which.
  if (found < need) return null;
  return rows.map(({ item_id, published, rank }) => ({ item_id, published, rank }));
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
      ? await cappedWalk(
          db,
          request,
          { ...plan, query: plan.query },
          byRelevance,
          keysetOf(after, byRelevance),
          take,
        )
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
  const rows = await steered(db, walks(request, plan), (tx) => tx.execute<PageRow>(statement));
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

export type FacetName = "country" | "library" | "type" | "language" | "tag" | "audience" | "skill" | "year";
export const FACET_NAMES: readonly FacetName[] = [
  "type",
  "country",
  "language",
  "library",
  "tag",
  "audience",
  "skill",
  "year",
];
/** Values shown per facet, most frequent first. */
export const FACET_VALUES = 20;

type FacetRow = { key: string; count: number };

/** The one-letter prefixes of search_entries.facet_keys (migration 0022) and their facets. */
const FACET_OF_PREFIX: Record<string, FacetName> = {
  k: "type",
  c: "country",
  l: "library",
  g: "language",
  t: "tag",
  a: "audience",
  s: "skill",
  y: "year",
};
/** The row of facetCounts' result that holds the total (no facet key has this form). */
const TOTAL_KEY = "#total";

export interface FacetCounts {
  facets: Record<FacetName, { value: string; count: number }[]>;
  total: number;
  /** True when there are more matches than FACET_CAP: counts are of the first FACET_CAP. */
  capped: boolean;
}

/**
 * Counts per facet value over the matches (at most FACET_CAP of them), and the total. Without a
 * common word all matches come from the GIN index; with one, the first FACET_CAP the table (or,
 * with filters, the bitmap) yields.
 */
export async function facetCounts(db: Db, request: SearchRequest, plan: SearchPlan): Promise<FacetCounts> {
  // One pass over the matches: each row's facet values are one array (facet_keys), counted by
  // one GROUP BY; the FACET_VALUES most frequent of each facet are kept.
  const statement = sql`WITH hits AS MATERIALIZED (
      SELECT s.facet_keys ${matches(request, plan)} LIMIT ${FACET_CAP + 1}),
    counted AS (
      SELECT k AS key, count(*) AS n FROM (SELECT unnest(facet_keys) AS k FROM hits) AS keys GROUP BY k)
    SELECT key, n::int AS count FROM (
      SELECT *, row_number() OVER (PARTITION BY left(key, 1) ORDER BY n DESC, key) AS place FROM counted) AS c
    WHERE place <= ${FACET_VALUES}
    UNION ALL SELECT ${TOTAL_KEY}, count(*)::int FROM hits`;
  // Without filters, the planner's choice: for a common word the table's first rows in order (a
  // quarter of them match, the scan stops at the cap) beat its posting list (0.2 s to build).
  // With filters, a common word's bitmap: a scan would read the table if they never meet.
  const filteredCommon = plan.common && !walks(request, plan);
  const rows = filteredCommon
    ? await db.transaction(async (tx) => {
        await tx.execute(sql.raw("SET LOCAL enable_seqscan = off"));
        return tx.execute<FacetRow>(statement);
      })
    : await db.execute<FacetRow>(statement);
  const facets = Object.fromEntries(
    FACET_NAMES.map((name) => [name, []]),
  ) as unknown as FacetCounts["facets"];
  let total = 0;
  for (const row of rows) {
    if (row.key === TOTAL_KEY) {
      total = row.count;
      continue;
    }
    const facet = FACET_OF_PREFIX[row.key.slice(0, 1)];
    if (facet) facets[facet].push({ value: row.key.slice(2), count: row.count });
  }
  for (const name of FACET_NAMES) {
    // Years read as a timeline, newest first; the others by how many they hold.
    facets[name].sort((a, b) => (name === "year" ? b.value.localeCompare(a.value) : b.count - a.count));
  }
  return { facets, total: Math.min(total, FACET_CAP), capped: total > FACET_CAP };
}
