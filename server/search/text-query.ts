import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";

/**
 * The tsquery of a text in every configuration items are indexed with, OR-ed: a Lithuanian
 * document holds "bibliotek" (stemmed), a Latvian one "biblioteka" (unaccented), and the person
 * searching did not say which language they meant. websearch_to_tsquery reads any text without
 * raising (quotes, or, -word; other operators are separators).
 */
export function textQuery(text: string): SQL {
  return sql`(websearch_to_tsquery('pg_catalog.lithuanian', ${text})
    || websearch_to_tsquery('baltic_unaccent', ${text})
    || websearch_to_tsquery('pg_catalog.english', ${text})
    || websearch_to_tsquery('pg_catalog.simple', ${text}))`;
}

/** Words of a text as the typo dictionary and the plan choice see them (at most 12). */
export function wordsOf(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.toLowerCase() !== "or")
    .slice(0, 12);
}

export interface TextAnalysis {
  /** False when the text has no searchable word (only stop words or punctuation). */
  searchable: boolean;
  /**
   * How many entries hold the query's rarest word, from search_terms (0 when that word is not
   * frequent or the table was never refreshed): what the plan is chosen by.
   */
  estimatedEntries: number;
  /** How many entries search_entries holds, as the planner's statistics last counted (0: never). */
  allEntries: number;
}

export async function analyseText(db: Db, text: string): Promise<TextAnalysis> {
  const words = wordsOf(text);
  const rows = await db.execute<{ nodes: number; entries: number; all_entries: number }>(sql`
    SELECT numnode(${textQuery(text)}) AS nodes,
      (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'search_entries'::regclass)::int AS all_entries,
      coalesce((
      SELECT min(n) FROM (
        SELECT coalesce((SELECT max(t.entries) FROM search_terms t WHERE t.lexeme = ANY(w.lexemes)), 0) AS n
        FROM (
          SELECT tsvector_to_array(to_tsvector('pg_catalog.lithuanian', word) || to_tsvector('baltic_unaccent', word)
            || to_tsvector('pg_catalog.english', word)) AS lexemes
          FROM jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) AS word
        ) AS w WHERE cardinality(w.lexemes) > 0
      ) AS per_word), 0)::int AS entries`);
  const row = rows[0];
  return {
    searchable: (row?.nodes ?? 0) > 0,
    estimatedEntries: row?.entries ?? 0,
    allEntries: row?.all_entries ?? 0,
  };
}

/**
 * For a text that finds (almost) nothing: each word replaced by the closest title word in the
 * trigram dictionary (search_words), or null when no word is close or none changed.
 */
export async function correctedText(db: Db, text: string): Promise<string | null> {
  const words = wordsOf(text).slice(0, 6);
  if (words.length === 0) return null;
  const rows = await db.execute<{ original: string; closest: string | null }>(sql`
    SELECT w.word AS original, (
      SELECT s.word FROM search_words s
      WHERE s.word % lower(unaccent(w.word)) ORDER BY similarity(s.word, lower(unaccent(w.word))) DESC, s.word LIMIT 1
    ) AS closest
    FROM jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) WITH ORDINALITY AS w(word, n)
    ORDER BY w.n`);
  let changed = false;
  const corrected = rows.map((row) => {
    if (row.original.length < 3 || !row.closest || row.closest === row.original.toLowerCase())
      return row.original;
    changed = true;
    return row.closest;
  });
  return changed ? corrected.join(" ") : null;
}
