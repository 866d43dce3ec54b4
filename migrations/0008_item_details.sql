ALTER TABLE "items" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "items_starts_at_idx" ON "items" USING btree ("starts_at") WHERE "items"."starts_at" IS NOT NULL;