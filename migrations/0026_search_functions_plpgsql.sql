-- The small functions of the search_source view and of the facet_keys column, as plpgsql: each
-- SQL one holds a sub-select, so PostgreSQL 15 never inlines it and parses and plans its body
-- again in every statement that calls it, which on the per-item path (the items triggers →
-- search_reindex, one item per statement) is every item: fmgr_sql was 19 % of PostgreSQL's CPU
-- in bench:ingest. plpgsql keeps each plan for the session. Same bodies, same results. 2,000
-- single-row inserts through the trigger with pgbench, each its own transaction, PostgreSQL 15:
-- 1.48–1.65 → 1.11–1.18 ms per item. The bulk path (search_rebuild, bench:search's load)
-- pays 6–9 % for the calls: 12,400 items without the indexes 1.92–2.17 → 2.05–2.36 s (issue 9).
CREATE OR REPLACE FUNCTION search_strings(value jsonb, lowercase boolean) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(DISTINCT CASE WHEN lowercase THEN lower(left(e, 200)) ELSE left(e, 200) END), '{}')
  FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]' END)
    WITH ORDINALITY AS a(e, n)
  WHERE n <= 100 AND btrim(e) <> '');
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_languages(language text, translations jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(DISTINCT l), '{}') FROM (
    SELECT lower(left(split_part(x, '-', 1), 8)) AS l
    FROM (SELECT language AS x UNION ALL
          SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(translations) = 'object' THEN translations ELSE '{}' END)) AS keys
  ) AS tags WHERE l <> '');
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_filter_vector(country text, kind text, languages text[]) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN array_to_tsvector(
    ARRAY['kind=' || lower(kind)]
    || CASE WHEN country IS NULL THEN '{}'::text[] ELSE ARRAY['country=' || lower(country)] END
    || ARRAY(SELECT DISTINCT 'language=' || lower(l) FROM unnest(languages) AS l WHERE l <> ''));
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_facet_keys(
  kind text, country text, library_id uuid, languages text[], tags text[], audiences text[],
  skill text, published timestamptz
) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN array_remove(ARRAY['k:' || kind, 'c:' || country, 'l:' || library_id::text, 's:' || skill,
      'y:' || extract(year FROM published AT TIME ZONE 'UTC')::int::text], NULL)
    || ARRAY(SELECT 'g:' || l FROM unnest(languages) AS l)
    || ARRAY(SELECT 't:' || t FROM unnest(tags) AS t)
    || ARRAY(SELECT 'a:' || a FROM unnest(audiences) AS a);
END
$$;
