CREATE TYPE "public"."backfill_state" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "backfills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"state" "backfill_state" DEFAULT 'running' NOT NULL,
	"fetched" integer DEFAULT 0 NOT NULL,
	"stored" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "summary" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "indexable" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "discoverable" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "country_by_curator" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "city" text;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_actor_id_remote_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;