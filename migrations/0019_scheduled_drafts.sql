ALTER TABLE "drafts" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "schedule_error" text;--> statement-breakpoint
CREATE INDEX "drafts_publish_at_idx" ON "drafts" USING btree ("publish_at") WHERE "drafts"."publish_at" IS NOT NULL;
