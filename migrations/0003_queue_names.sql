DROP INDEX "queue_messages_run_at_idx";--> statement-breakpoint
ALTER TABLE "queue_messages" ADD COLUMN "queue" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX "queue_messages_queue_run_at_idx" ON "queue_messages" USING btree ("queue","run_at");