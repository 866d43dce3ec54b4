-- The per-item search path (the items triggers → search_reindex) re-planned its work on every
-- call: a plpgsql statement with an array parameter kept choosing custom plans (the whole
-- search_source view, planned afresh per item), and a SQL function with a sub-select is never
-- inlined, so PostgreSQL plans its body again in every statement that calls it. 2,000 single-row
-- inserts from psql, each its own transaction, PostgreSQL 15: 1.96–2.07 ms per item before,
-- 1.12–1.17 ms after (issue 9). A generic plan is right for any number of ids: the view is read
-- through the items, accounts and remote_actors primary keys (reindexing 18,000 items: 2.0 s
-- either way). A later CREATE OR REPLACE of search_reindex drops this setting: repeat it there.
ALTER FUNCTION search_reindex(uuid[]) SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
-- plpgsql keeps the sub-select's plan for the session. Only this function: the small ones
-- (search_strings, search_languages, search_filter_vector, search_facet_keys) cost more as
-- plpgsql in bulk (search_rebuild, bench:search's load: 65 → 106 µs per item) than they save.
CREATE OR REPLACE FUNCTION search_item_vector(language text, title text, summary text, content text, translations jsonb)
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN search_vector(language, title, summary, content) || coalesce((
    SELECT search_vector_agg(search_vector(t.key, t.value->>'title', t.value->>'summary', t.value->>'content'))
    FROM jsonb_each(CASE WHEN jsonb_typeof(translations) = 'object' THEN translations ELSE '{}' END) AS t
    WHERE jsonb_typeof(t.value) = 'object'
  ), '');
END
$$;
