-- Every facet value of an entry in one array ('k:news', 'c:LT', 'l:<library id>', 'g:lt',
-- 't:<tag>', 'a:<audience>', 's:<skill>', 'y:2026'), kept by PostgreSQL from the row's own
-- columns: facet counts are then one unnest and one GROUP BY over the matches, where nine
-- passes (one per facet, three of them unnesting arrays) took ~40–60 ms over 10,000 matches
-- (bench:search, issue 9). The prefixes are one letter: the array is in every row that is read.
CREATE FUNCTION search_facet_keys(
  kind text, country text, library_id uuid, languages text[], tags text[], audiences text[],
  skill text, published timestamptz
) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_remove(ARRAY['k:' || kind, 'c:' || country, 'l:' || library_id::text, 's:' || skill,
      'y:' || extract(year FROM published AT TIME ZONE 'UTC')::int::text], NULL)
    || ARRAY(SELECT 'g:' || l FROM unnest(languages) AS l)
    || ARRAY(SELECT 't:' || t FROM unnest(tags) AS t)
    || ARRAY(SELECT 'a:' || a FROM unnest(audiences) AS a)
$$;--> statement-breakpoint
ALTER TABLE "search_entries" ADD COLUMN "facet_keys" text[] NOT NULL
  GENERATED ALWAYS AS (search_facet_keys(kind, country, library_id, languages, tags, audiences, skill, published)) STORED;
