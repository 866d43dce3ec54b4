import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { SearchRequest } from "./params.ts";
import {
  AVOID_SEQSCAN,
  conditions,
  EXACT_BITMAP,
  FACET_CAP,
  matches,
  type SearchPlan,
  steered,
  walks,
  whereOf,
} from "./plan.ts";

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
/** The row of a count's result that holds the total (no facet key has this form). */
const TOTAL_KEY = "#total";

/**
 * A common word under filters: the rows of the table's start a probe reads to learn how often
 * they match (~10 ms), and the most rows a pass that counts the first matches in the table's
 * order may read (~50 ms). Where the word is dense under its filter (a Lithuanian word,
 * country=LT: all 242,000 of its entries) that pass takes 34 ms where the bitmap of the word and
 * the filter took 90–150 ms; sparser, the bitmap is the cheaper way (bench:search).
 */
const PROBE_ROWS = 12_000;
const MAX_PREFIX_ROWS = 60_000;

export interface FacetCounts {
  facets: Record<FacetName, { value: string; count: number }[]>;
  total: number;
  /** True when there are more matches than FACET_CAP: counts are of the first FACET_CAP. */
  capped: boolean;
}

/**
 * One pass over the first `cap` matches of `source` (FROM and WHERE, rows s): each row's facet
 * values are one array (facet_keys), counted by one GROUP BY; the FACET_VALUES most frequent of
 * each facet are kept, and a TOTAL_KEY row holds how many matched (at most cap + 1, to tell that
 * there are more).
 */
function countStatement(source: SQL, cap: number): SQL {
  return sql`WITH hits AS MATERIALIZED (SELECT s.facet_keys ${source} LIMIT ${cap + 1}),
    counted AS (
      SELECT k AS key, count(*) AS n FROM (SELECT unnest(facet_keys) AS k FROM (SELECT facet_keys FROM hits LIMIT ${cap}) AS h) AS keys
      GROUP BY k)
    SELECT key, n::int AS count FROM (
      SELECT *, row_number() OVER (PARTITION BY left(key, 1) ORDER BY n DESC, key) AS place FROM counted) AS c
    WHERE place <= ${FACET_VALUES}
    UNION ALL SELECT ${TOTAL_KEY}, count(*)::int FROM hits`;
}

/** FROM and WHERE of the matches among the first `rows` rows of the table, in its order. */
function amongFirst(request: SearchRequest, plan: SearchPlan, rows: number): SQL {
  return sql`FROM (SELECT s.* FROM search_entries s LIMIT ${rows}) s ${whereOf(conditions(request, plan))}`;
}

function totalOf(rows: readonly FacetRow[]): number {
  return rows.find((row) => row.key === TOTAL_KEY)?.count ?? 0;
}

/**
 * The first cap + 1 matches counted from the table's start, when a probe of its first rows
 * shows they come often enough; null otherwise, or when the pass met too few (the table's start
 * is not like the rest, or the table is small): the caller counts from the bitmap then.
 */
async function countDenseFromStart(db: Db, request: SearchRequest, plan: SearchPlan, cap: number) {
  const [probe] = await db.execute<{ met: number }>(
    sql`SELECT count(*)::int AS met ${amongFirst(request, plan, PROBE_ROWS)}`,
  );
  const met = probe?.met ?? 0;
  if (met === 0) return null;
  // A quarter more rows than the density met predicts, so that the pass rarely falls short.
  const rows = Math.ceil((((cap + 1) * PROBE_ROWS) / met) * 1.25);
  if (rows > MAX_PREFIX_ROWS) return null;
  const counted = await db.execute<FacetRow>(countStatement(amongFirst(request, plan, rows), cap));
  return totalOf(counted) > cap ? counted : null;
}

/** The statement run over an exact (never lossy) bitmap of the matches, never a scan. */
function fromBitmap(db: Db, statement: SQL): Promise<readonly FacetRow[]> {
  return steered(db, [AVOID_SEQSCAN, EXACT_BITMAP], (tx) => tx.execute<FacetRow>(statement));
}

async function countRows(
  db: Db,
  request: SearchRequest,
  plan: SearchPlan,
  cap: number,
): Promise<readonly FacetRow[]> {
  const statement = countStatement(matches(request, plan), cap);
  if (!plan.common) return db.execute<FacetRow>(statement);
  if (walks(request, plan)) {
    // Without filters, a word in a quarter of the entries: the table's first rows in order (the
    // scan stops at the cap) beat its posting list (0.2 s to build). A word in one entry of 25
    // ("creator", 40,000 entries): the scan read 234,000 rows (175–380 ms) where the exact
    // bitmap takes 55–95 ms; the planner, misjudging, scanned.
    const scanned = plan.density ? (cap + 1) / plan.density : 0;
    return scanned > MAX_PREFIX_ROWS ? fromBitmap(db, statement) : db.execute<FacetRow>(statement);
  }
  // With filters, from the table's start where the word is dense under them; otherwise its
  // bitmap (a scan would read the whole table if the word and the filters never meet).
  return (await countDenseFromStart(db, request, plan, cap)) ?? fromBitmap(db, statement);
}

/**
 * Counts per facet value over the matches (at most FACET_CAP of them), and the total. Without a
 * common word all matches come from the GIN index. With one, the first FACET_CAP matches: from
 * the table's start where the word is dense (with filters: dense under them, as a probe
 * measures), otherwise from its exact bitmap.
 */
export async function facetCounts(db: Db, request: SearchRequest, plan: SearchPlan): Promise<FacetCounts> {
  const cap = plan.facetCap ?? FACET_CAP;
  const rows = await countRows(db, request, plan, cap);
  const facets = Object.fromEntries(
    FACET_NAMES.map((name) => [name, []]),
  ) as unknown as FacetCounts["facets"];
  for (const row of rows) {
    const facet = FACET_OF_PREFIX[row.key.slice(0, 1)];
    if (facet && row.key !== TOTAL_KEY) facets[facet].push({ value: row.key.slice(2), count: row.count });
  }
  for (const name of FACET_NAMES) {
    // Years read as a timeline, newest first; the others by how many they hold.
    facets[name].sort((a, b) => (name === "year" ? b.value.localeCompare(a.value) : b.count - a.count));
  }
  const total = totalOf(rows);
  return { facets, total: Math.min(total, cap), capped: total > cap };
}
