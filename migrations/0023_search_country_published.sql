-- A country's entries newest first: a common word under a country filter is walked through this
-- index (cappedWalk), reading only that country's rows. Through the date index, a walk over
-- Estonia's 7 % of the entries read fourteen rows for every one it tested (2,000 of them: 16 ms
-- here against ~100 ms), and (country, kind, …) cannot give one country's rows in date order.
-- About 45 MB and 2 s to build at 1,000,000 entries (bench:search, issue 9).
CREATE INDEX "search_entries_country_published_idx" ON "search_entries" USING btree ("country","published" DESC NULLS LAST,"item_id" DESC NULLS LAST);
