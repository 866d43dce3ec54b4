CREATE TABLE "interactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_iri" text NOT NULL,
	"activity_iri" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_activity_iri_unique" UNIQUE("activity_iri")
);
--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "in_reply_to" text;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "interactions_item_kind_actor_idx" ON "interactions" USING btree ("item_id","kind","actor_iri");--> statement-breakpoint
CREATE INDEX "interactions_actor_idx" ON "interactions" USING btree ("actor_iri");--> statement-breakpoint
CREATE INDEX "items_in_reply_to_idx" ON "items" USING btree ("in_reply_to") WHERE "items"."in_reply_to" IS NOT NULL;