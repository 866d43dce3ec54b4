/**
 * Feed import benchmark (issue 8): a library website's 200-entry RSS feed, served from loopback,
 * imported as `npm run cli -- import feed` does (fetch, parse, sanitize, Readability for the
 * excerpt-only entries' pages, then store each entry and queue its Create).
 *
 * Prints one JSON line on stdout: entries per second and the process's peak RSS; progress goes to
 * stderr. Exits 1 if any entry failed or was not imported.
 *
 * Env: BENCH_DATABASE_URL (any database on the server to use; a fresh one is created there and
 * dropped), BENCH_ENTRIES (default 200), BENCH_EXCERPT_EVERY (every Nth entry carries only an
 * excerpt, so its page is fetched and extracted; default 5), BENCH_MODE (publish or draft;
 * default publish).
 */
import { configure } from "@logtape/logtape";
import { createAccount } from "../server/domain/accounts.ts";
import { buildFederation } from "../server/federation/federation.ts";
import { importFeedOnce } from "../server/services/feed-poller.ts";
import { openMediaStorage } from "../server/storage/index.ts";
import { newsPage, rssFeed, startImportSite } from "../test/support/import-site.ts";
import { testConfig } from "../test/support/instance.ts";
import { createBenchDatabase } from "./fanout-db.ts";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200);
const EXCERPT_EVERY = Number(process.env.BENCH_EXCERPT_EVERY ?? 5);
const MODE = process.env.BENCH_MODE === "draft" ? "draft" : "publish";
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const log = (message: string) => process.stderr.write(`[bench:import] ${message}\n`);

async function main(): Promise<number> {
  // Quiet: only our JSON line on stdout (LogTape's meta logger would announce itself there).
  await configure({
    sinks: {},
    loggers: [{ category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] }],
  });
  const site = await startImportSite();
  const entries = Array.from({ length: ENTRIES }, (_, i) => ({
    slug: `naujiena-${i + 1}`,
    title: `Bibliotekos naujiena Nr. ${i + 1}: skaitymo skatinimo programa`,
    full: EXCERPT_EVERY <= 0 || (i + 1) % EXCERPT_EVERY !== 0,
  }));
  for (const entry of entries.filter((e) => !e.full)) {
    const path = `/naujienos/${entry.slug}`;
    site.pages.set(path, { type: "text/html; charset=utf-8", body: newsPage({ title: entry.title, path }) });
  }
  site.pages.set("/bench.rss", {
    type: "application/rss+xml; charset=utf-8",
    body: rssFeed(site.url(""), entries),
  });

  const bench = await createBenchDatabase(ADMIN_URL);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const config = testConfig(0, { logLevel: "warning" });
    const { federation } = buildFederation(config, bench.database);
    const services = { db: bench.database.db, config, federation, storage: openMediaStorage(config) };
    const account = await createAccount(services.db, { username: "kaunas", name: "Kauno biblioteka" });
    log(`importing ${ENTRIES} entries (${entries.filter((e) => !e.full).length} excerpt-only) as ${MODE}`);
    const started = performance.now();
    const summary = await importFeedOnce(services, account, site.url("/bench.rss"), {
      mode: MODE,
      onProgress: (done, total) => {
        if (done % 50 === 0 || done === total) log(`${done}/${total}`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const ok = summary.imported === ENTRIES && summary.failed.length === 0;
    console.log(
      JSON.stringify({
        bench: "import",
        mode: MODE,
        entries: ENTRIES,
        excerptOnly: entries.filter((e) => !e.full).length,
        imported: summary.imported,
        failed: summary.failed.length,
        seconds: Number(seconds.toFixed(2)),
        entriesPerSecond: Number((summary.imported / seconds).toFixed(1)),
        peakRssMb: Math.round(peakRss / 1024 / 1024),
        ok,
      }),
    );
    for (const failure of summary.failed) log(`failed: ${failure.entry}: ${failure.reason}`);
    return ok ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await bench.drop();
    await site.close();
  }
}

process.exitCode = await main();
