CREATE TABLE "actor_blocks" (
	"actor_iri" text PRIMARY KEY NOT NULL,
	"purge" boolean DEFAULT false NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TYPE "public"."report_state" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_iri" text NOT NULL,
	"reporter_iri" text NOT NULL,
	"reporter_domain" text NOT NULL,
	"target_actor_iri" text,
	"object_iris" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"state" "report_state" DEFAULT 'open' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "reports_activity_iri_unique" UNIQUE("activity_iri")
);
--> statement-breakpoint
CREATE INDEX "reports_state_received_idx" ON "reports" USING btree ("state","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reports_domain_received_idx" ON "reports" USING btree ("reporter_domain","received_at" DESC NULLS LAST);
