/**
 * Search benchmark (issue 9): 1,000,000 generated multilingual items (lt, lv, en) of 200 libraries
 * in a fresh database, then a fixed mix of searches through server/search (the API's code): ranked
 * with facets, newest first with facets, filter-only, and mistyped words, over common, frequent, mid and rare
 * words (chosen by their measured frequency). Prints one JSON line: p50/p95 ms per kind.
 *
 * The load turns the insert trigger off and builds search_entries in bulk (search_rebuild's SQL in
 * two halves, indexes made afterwards): minutes instead of the trigger's hour of incremental GIN
 * updates. The queries then run on exactly what the triggers maintain.
 *
 * Env: BENCH_DATABASE_URL (admin connection; default local postgres), BENCH_ITEMS (default
 * 1000000), BENCH_RUNS (searches per kind, default 40), BENCH_KEEP=1 (keep the database),
 * BENCH_REUSE=<database URL> (query a database an earlier BENCH_KEEP=1 run kept, without loading;
 * run the newer migrations on it first: `DATABASE_URL=<url> npm run cli -- migrate` or psql).
 */

import { connect } from "../server/db/client.ts";
import { parseSearchParams, type SearchParameter } from "../server/search/params.ts";
import { pageOfMatches } from "../server/search/plan.ts";
import { search } from "../server/search/search.ts";
import { type BenchDatabase, createBenchDatabase } from "./fanout-db.ts";
import { insertItems, insertLibraries, installGenerators, WORDS } from "./search-data.ts";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BATCH = 50_000;
const ORIGIN = new URL("https://hub.example");

const log = (message: string) => process.stderr.write(`[bench:search] ${message}\n`);

function percentile(sorted: number[], p: number): number {
  return (
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10) / 10
  );
}

/** The kept database of an earlier run, as it is (never dropped). */
function reused(url: string): BenchDatabase {
  const database = connect(url, 4, "bench");
  return { database, url, drop: () => database.close() };
}

async function load(sql: BenchDatabase["database"]["sql"], started: number): Promise<void> {
  await installGenerators(sql);
  await insertLibraries(sql);
  await sql`ALTER TABLE items DISABLE TRIGGER items_search_insert`;
  const batches = Array.from({ length: Math.ceil(ITEMS / BATCH) }, (_, i) => i);
  // Two connections for two cores.
  const worker = async () => {
    for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
      await insertItems(sql, b * BATCH + 1, Math.min(ITEMS, (b + 1) * BATCH));
      log(
        `items ${Math.min(ITEMS, (b + 1) * BATCH)} (${Math.round((performance.now() - started) / 1000)} s)`,
      );
    }
  };
  await Promise.all([worker(), worker()]);
  const generated = performance.now();
  const indexes = await sql<{ name: string; definition: string }[]>`
      SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE tablename = 'search_entries' AND indexname <> 'search_entries_pkey'`;
  for (const index of indexes) await sql.unsafe(`DROP INDEX ${index.name}`);
  await Promise.all(
    [
      sql`item_id < '80000000-0000-0000-0000-000000000000'`,
      sql`item_id >= '80000000-0000-0000-0000-000000000000'`,
    ].map((half) => sql`INSERT INTO search_entries SELECT * FROM search_source WHERE ${half}`),
  );
  await sql`INSERT INTO search_words (word)
      SELECT DISTINCT p.token FROM items i JOIN search_entries s ON s.item_id = i.id,
        ts_parse('default', lower(unaccent(i.title))) AS p
      WHERE p.tokid IN (1, 2) AND length(p.token) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING`;
  log(`search_entries built (${Math.round((performance.now() - generated) / 1000)} s)`);
  const pending = [...indexes];
  await Promise.all(
    [0, 1].map(async () => {
      const connection = await sql.reserve();
      await connection`SET maintenance_work_mem = '256MB'`;
      for (let index = pending.shift(); index; index = pending.shift())
        await connection.unsafe(index.definition);
      connection.release();
    }),
  );
  await sql`ALTER TABLE items ENABLE TRIGGER items_search_insert`;
  await sql`VACUUM ANALYZE search_entries`;
  await sql`VACUUM ANALYZE search_words`;
  const [terms] = await sql<{ n: number }[]>`SELECT refresh_search_terms() AS n`;
  log(`indexed, ${terms?.n} frequent lexemes (${Math.round((performance.now() - started) / 1000)} s in all)`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const reuse = process.env.BENCH_REUSE;
  const bench = reuse ? reused(reuse) : await createBenchDatabase(ADMIN_URL);
  const { sql, db } = bench.database;
  try {
    if (!reuse) await load(sql, started);
    const loaded = performance.now();

    // Words by how many entries hold them: common (>= 150,000), frequent (30,000, the
    // COMMON_TERM_ENTRIES threshold, to 150,000: common by the plan, but sparse), mid
    // (1,000–10,000), rare (< 100), sampled at places of the Zipf-ranked word lists (WORDS).
    const frequency = async (word: string, lang: string) => {
      const [row] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM search_entries WHERE document @@ websearch_to_tsquery(search_config(${lang}), ${word})`;
      return row?.n ?? 0;
    };
    const places = [1, 2, 4, 30, 60, 150, 300, 600, 1200, 25_000, 30_000, 35_000, 39_000];
    const candidates = (["lt", "lv", "en"] as const).flatMap((lang) =>
      places.map((place) => [WORDS[lang][place - 1] ?? "", lang] as const),
    );
    const measured = [];
    for (const [word, lang] of candidates) measured.push({ word, n: await frequency(word, lang) });
    const common = measured.filter((m) => m.n >= 150_000).map((m) => m.word);
    const frequent = measured.filter((m) => m.n >= 30_000 && m.n < 150_000).map((m) => m.word);
    const mid = measured.filter((m) => m.n >= 1_000 && m.n <= 10_000).map((m) => m.word);
    const rare = measured.filter((m) => m.n > 0 && m.n < 100).map((m) => m.word);
    log(`frequencies: ${measured.map((m) => `${m.word} ${m.n}`).join(", ")}`);
    log(
      `terms: common ${common.join(",")} | frequent ${frequent.join(",")} | mid ${mid.join(",")} | rare ${rare.join(",")}`,
    );

    const request = (params: Partial<Record<SearchParameter, string>>) =>
      parseSearchParams((name) => params[name]);
    const countries = ["LT", "LV", "EE", "FI", "PL"];
    const kinds = ["news", "event", "webcast", "practice", "resource"];
    const mix: Record<string, (i: number) => Promise<unknown>> = {};
    for (const [band, words] of Object.entries({ common, frequent, mid, rare })) {
      if (words.length === 0) continue;
      const word = (i: number) => words[i % words.length] ?? "";
      mix[`ranked_facets_${band}`] = (i) => search(db, ORIGIN, request({ q: word(i) }));
      mix[`date_facets_${band}`] = (i) => search(db, ORIGIN, request({ q: word(i), sort: "date" }));
      mix[`ranked_facets_filtered_${band}`] = (i) =>
        search(db, ORIGIN, request({ q: word(i), country: countries[i % countries.length] }));
    }
    // Filter-only: the list a reader opens (country and type, newest first), without and with facets.
    mix.filter_only = (i) =>
      pageOfMatches(db, request({ country: countries[i % 5], type: kinds[i % 5] }), {
        query: null,
        common: false,
      });
    mix.filter_only_facets = (i) =>
      search(db, ORIGIN, request({ country: countries[i % 5], type: kinds[i % 5] }));
    mix.typo = (i) =>
      search(
        db,
        ORIGIN,
        request({ q: ["bibloteka", "skaitimas", "grāmtas", "libarary", "lasisana"][i % 5] ?? "" }),
      );

    const figures: Record<string, { p50: number; p95: number; runs: number }> = {};
    for (const [kind, run] of Object.entries(mix)) {
      for (let i = 0; i < 3; i++) await run(i); // warm the cache and the plans
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await run(i);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      figures[kind] = { p50: percentile(times, 50), p95: percentile(times, 95), runs: RUNS };
      log(`${kind}: p50 ${figures[kind].p50} ms, p95 ${figures[kind].p95} ms`);
    }
    const [size] = await sql<{ entries: string; items: string }[]>`
      SELECT pg_size_pretty(pg_total_relation_size('search_entries')) AS entries, pg_size_pretty(pg_total_relation_size('items')) AS items`;
    process.stdout.write(
      `${JSON.stringify({
        bench: "search",
        items: ITEMS,
        load_seconds: Math.round((loaded - started) / 1000),
        search_entries_size: size?.entries,
        items_size: size?.items,
        targets_ms: { ranked_facets_p95: 50, filter_only_p95: 10 },
        ...figures,
      })}\n`,
    );
  } finally {
    // BENCH_KEEP=1 leaves the database for EXPLAIN (its name is on stderr); drop it yourself.
    if (reuse) await bench.database.close();
    else if (process.env.BENCH_KEEP === "1") log(`kept ${bench.url}`);
    else await bench.drop();
  }
}

await main();
