-- Fedify's key-value store (@fedify/postgres layout), created here so that every process finds it
-- ready and several processes starting at once do not race to create it.
CREATE UNLOGGED TABLE IF NOT EXISTS "fedify_kv_v2" (
  "key" text[] PRIMARY KEY,
  "value" jsonb NOT NULL,
  "created" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
  "ttl" interval
);
