-- Curation of received items on a hub (docs/federation.md, "Curation and boosts").
CREATE TYPE "public"."curation_state" AS ENUM('pending', 'approved', 'hidden');--> statement-breakpoint
CREATE TABLE "curation_sources" (
	"actor_id" uuid PRIMARY KEY NOT NULL,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "curation" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"remote_actor_id" uuid NOT NULL,
	"state" "curation_state" DEFAULT 'pending' NOT NULL,
	"published" timestamp with time zone NOT NULL,
	"featured_at" timestamp with time zone,
	"announce_iri" text,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "curation_sources" ADD CONSTRAINT "curation_sources_actor_id_remote_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "curation" ADD CONSTRAINT "curation_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "curation" ADD CONSTRAINT "curation_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The shared feed and the queue: one state, newest first, keyset by (published, item_id).
CREATE INDEX "curation_state_published_idx" ON "curation" USING btree ("state","published" DESC NULLS LAST,"item_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "curation_featured_idx" ON "curation" USING btree ("published" DESC NULLS LAST,"item_id" DESC NULLS LAST) WHERE "featured_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "curation_actor_idx" ON "curation" USING btree ("remote_actor_id","state","published" DESC NULLS LAST);--> statement-breakpoint
-- Every path that stores a received top-level item (inbox, backfill) enters it here, in the
-- writer's transaction: approved when its source is auto-approved, otherwise pending. Named so
-- that it runs before items_search_insert (triggers of one event run in name order).
CREATE FUNCTION curation_items_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO curation (item_id, remote_actor_id, state, published, decided_at)
    SELECT n.id, n.remote_actor_id,
      CASE WHEN s.auto_approve THEN 'approved'::curation_state ELSE 'pending'::curation_state END,
      n.published, CASE WHEN s.auto_approve THEN now() END
    FROM inserted_items n LEFT JOIN curation_sources s ON s.actor_id = n.remote_actor_id
    WHERE n.remote_actor_id IS NOT NULL AND n.in_reply_to IS NULL
    ON CONFLICT (item_id) DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER items_curation_insert AFTER INSERT ON items
  REFERENCING NEW TABLE AS inserted_items FOR EACH STATEMENT EXECUTE FUNCTION curation_items_inserted();--> statement-breakpoint
-- The feed's order follows a corrected publication date.
CREATE FUNCTION curation_items_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE curation c SET published = n.published
    FROM updated_items n WHERE c.item_id = n.id AND c.published IS DISTINCT FROM n.published;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER items_curation_update AFTER UPDATE ON items
  REFERENCING NEW TABLE AS updated_items FOR EACH STATEMENT EXECUTE FUNCTION curation_items_updated();--> statement-breakpoint
-- A hidden item leaves search, however its entry was (re)built: search_reindex, search_rebuild
-- or a later migration's own writer all insert into search_entries, and this removes it again.
-- Pending items stay searchable: search is the index of what authors allow (FEP-5feb), curation
-- decides what the shared feed shows.
CREATE FUNCTION curation_search_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries s USING inserted_entries n, curation c
    WHERE s.item_id = n.item_id AND c.item_id = n.item_id AND c.state = 'hidden';
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER search_entries_curation_insert AFTER INSERT ON search_entries
  REFERENCING NEW TABLE AS inserted_entries FOR EACH STATEMENT EXECUTE FUNCTION curation_search_inserted();--> statement-breakpoint
-- Hiding removes the entry; restoring (or approving) rebuilds it with search's own function.
CREATE FUNCTION curation_state_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries s USING updated_curation n, previous_curation o
    WHERE s.item_id = n.item_id AND o.item_id = n.item_id AND n.state = 'hidden' AND o.state <> 'hidden';
  PERFORM search_reindex(ARRAY(
    SELECT n.item_id FROM updated_curation n JOIN previous_curation o ON o.item_id = n.item_id
    WHERE o.state = 'hidden' AND n.state <> 'hidden'));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER curation_search_update AFTER UPDATE ON curation
  REFERENCING OLD TABLE AS previous_curation NEW TABLE AS updated_curation
  FOR EACH STATEMENT EXECUTE FUNCTION curation_state_updated();--> statement-breakpoint
-- Items received before this migration: the sources' choice is "queue", but what a hub already
-- showed stays shown.
INSERT INTO curation (item_id, remote_actor_id, state, published, decided_at)
  SELECT id, remote_actor_id, 'approved', published, now() FROM items
  WHERE remote_actor_id IS NOT NULL AND in_reply_to IS NULL;
