-- search_reindex reads items, accounts, remote_actors and search_entries by the ids it is given,
-- with one generic plan per session (0024). A session that planned it while the tables were
-- still small (a new hub receiving its first items) kept sequential scans of every table for
-- its whole life, and each new item read all items so far: 2 scans of items and one of
-- search_entries per item in bench:ingest (5.6 M rows read for 2,400 items), and PostgreSQL
-- spent 6.5 ms of CPU per activity instead of 3.1–3.9 (issue 9). Index scans are right for any
-- number of ids here (reindexing 6,000 items: 0.87–0.94 s with sequential scans allowed,
-- 0.90–0.91 s without). A later CREATE OR REPLACE of search_reindex drops this setting too.
ALTER FUNCTION search_reindex(uuid[]) SET enable_seqscan = off;--> statement-breakpoint
-- Every activity a hub receives looks up whether it follows the sender by actor alone, which
-- the (account_id, actor_id) primary key cannot answer; cascaded actor deletes need it as well.
CREATE INDEX "following_actor_idx" ON "following" USING btree ("actor_id");
