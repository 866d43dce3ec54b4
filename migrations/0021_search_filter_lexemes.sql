-- The filters readers use most (country, kind, language) also as lexemes of each entry's document
-- ('country=lt', 'kind=event', 'language=lv'): the GIN index then intersects a word's posting
-- list with a filter's, where a btree bitmap AND read 200,000+ rows for a common word under a
-- filter it rarely meets (bench:search, issue 9). The text search parser never yields '=' inside
-- a lexeme, so no typed query can match these by accident.
CREATE FUNCTION search_filter_vector(country text, kind text, languages text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(
    ARRAY['kind=' || lower(kind)]
    || CASE WHEN country IS NULL THEN '{}'::text[] ELSE ARRAY['country=' || lower(country)] END
    || ARRAY(SELECT DISTINCT 'language=' || lower(l) FROM unnest(languages) AS l WHERE l <> ''))
$$;--> statement-breakpoint
CREATE OR REPLACE VIEW search_source AS
  SELECT v.item_id, v.library_id, v.country, v.kind, v.languages, v.tags, v.audiences, v.skill, v.published,
    v.document || search_filter_vector(v.country, v.kind, v.languages) AS document
  FROM (
    SELECT i.id AS item_id,
      coalesce(i.account_id, i.remote_actor_id) AS library_id,
      upper(nullif(btrim(coalesce(a.country, r.country)), '')) AS country,
      search_kind(i.type, i.details) AS kind,
      search_languages(i.language, i.translations) AS languages,
      search_strings(i.tags, true) AS tags,
      CASE WHEN search_kind(i.type, i.details) = 'practice' THEN search_strings(i.details->'audiences', false)
        ELSE '{}' END AS audiences,
      CASE WHEN search_kind(i.type, i.details) = 'practice' THEN nullif(left(i.details->>'skillLevel', 40), '') END AS skill,
      i.published,
      search_item_vector(i.language, i.title, i.summary, i.content, i.translations) AS document
    FROM items i
    LEFT JOIN accounts a ON a.id = i.account_id
    LEFT JOIN remote_actors r ON r.id = i.remote_actor_id
    WHERE i.deleted_at IS NULL AND i.in_reply_to IS NULL
      AND (a.id IS NOT NULL OR (r.indexable AND r.discoverable))
  ) AS v;--> statement-breakpoint
-- Entries stored before: the index is rebuilt once rather than updated a million times.
DROP INDEX "search_entries_document_idx";--> statement-breakpoint
UPDATE search_entries SET document = document || search_filter_vector(country, kind, languages);--> statement-breakpoint
CREATE INDEX "search_entries_document_idx" ON "search_entries" USING gin ("document");
