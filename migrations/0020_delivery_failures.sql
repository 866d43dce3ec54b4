CREATE TABLE "delivery_failures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_iri" text,
	"inbox" text,
	"activity_id" text,
	"activity_type" text,
	"status" integer,
	"error" text NOT NULL,
	"permanent" boolean DEFAULT false NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "delivery_failures_failed_at_idx" ON "delivery_failures" USING btree ("failed_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;
