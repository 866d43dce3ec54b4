-- Trusted extensions (PostgreSQL 13+): the database owner may create them. Debian's PostgreSQL 15
-- and the embedded PostgreSQL 18 both ship them.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- PostgreSQL has no Latvian stemmer: Latvian words are indexed as written, without diacritics, so
-- that "biblioteka" finds "bibliotēka". A configuration (not unaccent() around the text) lets
-- ts_headline mark the original words.
CREATE TEXT SEARCH CONFIGURATION baltic_unaccent (COPY = pg_catalog.simple);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION baltic_unaccent
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;--> statement-breakpoint
CREATE TABLE "search_entries" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"library_id" uuid NOT NULL,
	"country" text,
	"kind" text NOT NULL,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"audiences" text[] DEFAULT '{}' NOT NULL,
	"skill" text,
	"published" timestamp with time zone NOT NULL,
	"document" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"lexeme" text PRIMARY KEY NOT NULL,
	"entries" integer NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_entries" ADD CONSTRAINT "search_entries_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_entries_document_idx" ON "search_entries" USING gin ("document");--> statement-breakpoint
CREATE INDEX "search_entries_published_idx" ON "search_entries" USING btree ("published" DESC NULLS LAST,"item_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_entries_country_kind_idx" ON "search_entries" USING btree ("country","kind","published" DESC NULLS LAST,"item_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_entries_library_idx" ON "search_entries" USING btree ("library_id","published" DESC NULLS LAST,"item_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_entries_tags_idx" ON "search_entries" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "search_entries_languages_idx" ON "search_entries" USING gin ("languages");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The tsvector leaves the row (toasted, uncompressed) unless tiny: facet counts read only the narrow columns.
ALTER TABLE "search_entries" ALTER COLUMN "document" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "search_entries" SET (toast_tuple_target = 128);--> statement-breakpoint
-- The text-search configuration of a language tag (lt, lt-LT, lv, en…).
CREATE FUNCTION search_config(language text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE lower(split_part(coalesce(language, ''), '-', 1))
    WHEN 'lt' THEN 'pg_catalog.lithuanian'::regconfig
    WHEN 'en' THEN 'pg_catalog.english'::regconfig
    WHEN 'lv' THEN 'baltic_unaccent'::regconfig
    ELSE 'pg_catalog.simple'::regconfig
  END
$$;--> statement-breakpoint
-- One version of an item: title A, summary B, content C (HTML: the parser drops the tags). Text
-- past 100,000 characters is left out, which keeps every vector far below tsvector's 1 MB.
CREATE FUNCTION search_vector(language text, title text, summary text, content text) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(search_config(language), left(coalesce(title, ''), 2000)), 'A')
      || setweight(to_tsvector(search_config(language), left(coalesce(summary, ''), 10000)), 'B')
      || setweight(to_tsvector(search_config(language), left(coalesce(content, ''), 100000)), 'C')
$$;--> statement-breakpoint
CREATE AGGREGATE search_vector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');--> statement-breakpoint
-- The item's own version and each translation, each in its own language's configuration.
CREATE FUNCTION search_item_vector(language text, title text, summary text, content text, translations jsonb)
RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT search_vector(language, title, summary, content) || coalesce((
    SELECT search_vector_agg(search_vector(t.key, t.value->>'title', t.value->>'summary', t.value->>'content'))
    FROM jsonb_each(CASE WHEN jsonb_typeof(translations) = 'object' THEN translations ELSE '{}' END) AS t
    WHERE jsonb_typeof(t.value) = 'object'
  ), '')
$$;--> statement-breakpoint
-- Keep equal to hubKindOf() in server/domain/hub-kinds.ts.
CREATE FUNCTION search_kind(type text, details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(details) = 'object' AND details->>'kind' IN ('event', 'resource', 'practice', 'webcast')
      THEN details->>'kind'
    WHEN type IN ('Article', 'Note', 'Page') THEN 'news'
    WHEN type = 'Video' THEN 'webcast'
    WHEN type = 'Event' THEN 'event'
    WHEN type = 'Document' THEN 'resource'
    ELSE 'other'
  END
$$;--> statement-breakpoint
-- The first 100 strings of a JSON array (anything else: none), each at most 200 characters.
CREATE FUNCTION search_strings(value jsonb, lowercase boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT CASE WHEN lowercase THEN lower(left(e, 200)) ELSE left(e, 200) END), '{}')
  FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]' END)
    WITH ORDINALITY AS a(e, n)
  WHERE n <= 100 AND btrim(e) <> ''
$$;--> statement-breakpoint
-- Primary language subtags of the item and of its translations.
CREATE FUNCTION search_languages(language text, translations jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT l), '{}') FROM (
    SELECT lower(left(split_part(x, '-', 1), 8)) AS l
    FROM (SELECT language AS x UNION ALL
          SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(translations) = 'object' THEN translations ELSE '{}' END)) AS keys
  ) AS tags WHERE l <> ''
$$;--> statement-breakpoint
-- Every item search may show, as a search_entries row: not deleted, not a reply, and ours or by an
-- author who consents (FEP-5feb indexable and discoverable).
CREATE VIEW search_source AS
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
    AND (a.id IS NOT NULL OR (r.indexable AND r.discoverable));--> statement-breakpoint
-- Re-reads these items into the search tables; a title's words join the typo dictionary (sorted,
-- so that concurrent writers take the words' locks in one order and cannot deadlock).
CREATE FUNCTION search_reindex(ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  DELETE FROM search_entries WHERE item_id = ANY(ids);
  INSERT INTO search_entries (item_id, library_id, country, kind, languages, tags, audiences, skill, published, document)
    SELECT * FROM search_source WHERE item_id = ANY(ids);
  INSERT INTO search_words (word)
    SELECT DISTINCT p.token FROM items i JOIN search_entries s ON s.item_id = i.id,
      ts_parse('default', lower(unaccent(left(i.title, 2000)))) AS p
    WHERE i.id = ANY(ids) AND p.tokid IN (1, 2) AND length(p.token) BETWEEN 3 AND 40
    ORDER BY p.token
    ON CONFLICT DO NOTHING;
END
$$;--> statement-breakpoint
-- Rebuilds everything in bulk (docs/operations.md: after a restore, or with the triggers off for a bulk load).
CREATE FUNCTION search_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE search_entries, search_words;
  INSERT INTO search_entries (item_id, library_id, country, kind, languages, tags, audiences, skill, published, document)
    SELECT * FROM search_source;
  INSERT INTO search_words (word)
    SELECT DISTINCT p.token FROM items i JOIN search_entries s ON s.item_id = i.id,
      ts_parse('default', lower(unaccent(left(i.title, 2000)))) AS p
    WHERE p.tokid IN (1, 2) AND length(p.token) BETWEEN 3 AND 40;
END
$$;--> statement-breakpoint
-- Frequent lexemes and how many entries hold them: the query's plan choice (search_terms).
CREATE FUNCTION refresh_search_terms(min_entries integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE kept integer;
BEGIN
  DELETE FROM search_terms;
  INSERT INTO search_terms (lexeme, entries)
    SELECT word, ndoc FROM ts_stat('SELECT document FROM search_entries') WHERE ndoc >= min_entries;
  GET DIAGNOSTICS kept = ROW_COUNT;
  RETURN kept;
END
$$;--> statement-breakpoint
-- Triggers keep search in step with every path that writes items (inbox, backfill, our posts),
-- in the writer's transaction. Deleted rows leave through the foreign key's cascade.
CREATE FUNCTION search_items_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_reindex(ARRAY(SELECT id FROM inserted_items));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION search_items_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_reindex(ARRAY(
    SELECT n.id FROM updated_items n JOIN previous_items o ON o.id = n.id
    WHERE (n.title, n.summary, n.content, n.language, n.translations, n.tags, n.details, n.type, n.published,
           n.deleted_at, n.in_reply_to, n.account_id, n.remote_actor_id)
      IS DISTINCT FROM (o.title, o.summary, o.content, o.language, o.translations, o.tags, o.details, o.type,
           o.published, o.deleted_at, o.in_reply_to, o.account_id, o.remote_actor_id)));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER items_search_insert AFTER INSERT ON items
  REFERENCING NEW TABLE AS inserted_items FOR EACH STATEMENT EXECUTE FUNCTION search_items_inserted();--> statement-breakpoint
CREATE TRIGGER items_search_update AFTER UPDATE ON items
  REFERENCING OLD TABLE AS previous_items NEW TABLE AS updated_items
  FOR EACH STATEMENT EXECUTE FUNCTION search_items_updated();--> statement-breakpoint
-- A remote actor's consent or country changes all of its items' entries.
CREATE FUNCTION search_remote_actors_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_reindex(ARRAY(
    SELECT i.id FROM updated_actors n JOIN previous_actors o ON o.id = n.id JOIN items i ON i.remote_actor_id = n.id
    WHERE (n.indexable, n.discoverable, n.country) IS DISTINCT FROM (o.indexable, o.discoverable, o.country)));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER remote_actors_search_update AFTER UPDATE ON remote_actors
  REFERENCING OLD TABLE AS previous_actors NEW TABLE AS updated_actors
  FOR EACH STATEMENT EXECUTE FUNCTION search_remote_actors_updated();--> statement-breakpoint
CREATE FUNCTION search_accounts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_reindex(ARRAY(
    SELECT i.id FROM updated_accounts n JOIN previous_accounts o ON o.id = n.id JOIN items i ON i.account_id = n.id
    WHERE n.country IS DISTINCT FROM o.country));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER accounts_search_update AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS previous_accounts NEW TABLE AS updated_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION search_accounts_updated();--> statement-breakpoint
-- Items stored before this migration.
SELECT search_rebuild();