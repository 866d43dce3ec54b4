-- UNLOGGED: hit counters need no crash safety (see server/db/schema/rate-limits.ts).
CREATE UNLOGGED TABLE "rate_limit_hits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
