import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { accounts, remoteActors } from "../db/schema/index.ts";
import { type FacetCounts, facetCounts } from "./facets.ts";
import type { SearchRequest } from "./params.ts";
import { COMMON_TERM_ENTRIES, pageOfMatches, type SearchPlan } from "./plan.ts";
import { hydrate, type SearchHit } from "./results.ts";
import { analyseText, correctedText, textQuery } from "./text-query.ts";

/** Fewer matches than this, and the words are looked up in the typo dictionary. */
const FEW_MATCHES = 3;

export interface LibraryLabel {
  name: string;
  handle: string;
  url: string | null;
}

export interface SearchResult extends FacetCounts {
  hits: SearchHit[];
  next: string | null;
  /** The text searched as well, when the words as typed found (almost) nothing. */
  corrected: string | null;
  /** Names of the libraries in the library facet, by id. */
  libraries: Map<string, LibraryLabel>;
}

async function planFor(db: Db, text: string): Promise<SearchPlan> {
  if (text === "") return { query: null, common: false };
  const analysis = await analyseText(db, text);
  // Only stop words or punctuation: nothing to match, so the filters alone decide.
  if (!analysis.searchable) return { query: null, common: false };
  const { estimatedEntries, allEntries } = analysis;
  return {
    query: textQuery(text),
    common: estimatedEntries >= COMMON_TERM_ENTRIES,
    density: allEntries > 0 && estimatedEntries > 0 ? Math.min(1, estimatedEntries / allEntries) : undefined,
  };
}

async function run(db: Db, request: SearchRequest, plan: SearchPlan) {
  // Two statements on two connections: the page and the counts do not wait for each other.
  const [page, counts] = await Promise.all([
    pageOfMatches(db, request, plan),
    facetCounts(db, request, plan),
  ]);
  return { page, counts };
}

/** A search of what this instance may show (search_entries): a page of hits, facets and total. */
export async function search(db: Db, publicOrigin: URL, request: SearchRequest): Promise<SearchResult> {
  let plan = await planFor(db, request.q);
  let { page, counts } = await run(db, request, plan);
  let corrected: string | null = null;
  if (plan.query && counts.total < FEW_MATCHES) {
    corrected = await correctedText(db, request.q);
    if (corrected) {
      const correctedPlan = await planFor(db, corrected);
      if (correctedPlan.query) {
        plan = { query: sql`(${plan.query} || ${correctedPlan.query})`, common: correctedPlan.common };
        ({ page, counts } = await run(db, request, plan));
      }
    }
  }
  const [hits, libraries] = await Promise.all([
    hydrate(db, publicOrigin, page.rows, plan.query),
    libraryLabels(
      db,
      publicOrigin,
      counts.facets.library.map((f) => f.value),
    ),
  ]);
  return { ...counts, hits, next: page.next, corrected, libraries };
}

async function libraryLabels(db: Db, publicOrigin: URL, ids: string[]): Promise<Map<string, LibraryLabel>> {
  const labels = new Map<string, LibraryLabel>();
  if (ids.length === 0) return labels;
  const [ours, theirs] = await Promise.all([
    db.select().from(accounts).where(inArray(accounts.id, ids)),
    db.select().from(remoteActors).where(inArray(remoteActors.id, ids)),
  ]);
  for (const a of ours) {
    const url = new URL(`/users/${a.username}`, publicOrigin).href;
    labels.set(a.id, { name: a.name, handle: `${a.username}@${publicOrigin.host}`, url });
  }
  for (const r of theirs)
    labels.set(r.id, { name: r.name || r.handle, handle: r.handle, url: r.url ?? r.iri });
  return labels;
}
