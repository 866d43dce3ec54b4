/**
 * Fan-out benchmark (DESIGN.md §6): one post to 10,000 followers on 500 instances.
 *
 * Our instance runs in this process on a fresh PostgreSQL database, over real HTTP, with the real
 * durable queue; the 500 remote instances are fakes in a child process (bench/fanout-sink.ts).
 * Prints one JSON line on stdout; progress and logs go to stderr. Its `ok` says whether every
 * target of DESIGN.md §6 was met, and `targets` shows each (bench/fanout-targets.ts). Exits 1 only
 * when a delivery is missing or duplicated, or a sampled signature does not verify.
 *
 * Env: BENCH_DATABASE_URL (any database on the server to use; a fresh one is created there and
 * dropped), BENCH_FOLLOWERS, BENCH_INSTANCES, BENCH_REPEATS, BENCH_TIMEOUT_S, and
 * BENCH_COUNT_QUERIES=1 to add the SQL statements per delivery of the burst (slightly slower),
 * BENCH_WORKERS=n to deliver from n separate NODE_TYPE=worker processes instead of this one, and
 * BENCH_EMBEDDED=1 to run on the embedded PostgreSQL (started in a temporary DATA_DIR) instead.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { configure, defaultTextFormatter } from "@logtape/logtape";
import { loadConfig } from "../server/config.ts";
import type { Database } from "../server/db/client.ts";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "../server/db/embedded/server.ts";
import { followers } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { listFollowers } from "../server/domain/follows.ts";
import type { Item } from "../server/domain/items.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { buildFederation } from "../server/federation/federation.ts";
import { createApp } from "../server/http/app.ts";
import { fedContext, type Services } from "../server/services/context.ts";
import { publishPost } from "../server/services/publishing.ts";
import { runWorkers } from "../server/services/workers.ts";
import { insertFollowers } from "../test/support/followers.ts";
import { freePort } from "../test/support/ports.ts";
import {
  type BenchDatabase,
  createBenchDatabase,
  postgresCpuSeconds,
  processCpuSeconds,
  type QueryCounts,
  queriesPer,
} from "./fanout-db.ts";
import type { ActivityStats } from "./fanout-sink.ts";
import { Sink, type SinkStats } from "./fanout-sink-client.ts";
import { judge, peakRssMb } from "./fanout-targets.ts";
import { startWorkers } from "./fanout-workers.ts";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 10_000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 500);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 120) * 1000;
const WARMUP_INSTANCES = 5;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const COUNT_QUERIES = process.env.BENCH_COUNT_QUERIES === "1";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);
const EMBEDDED = process.env.BENCH_EMBEDDED === "1";

const log = (message: string) => process.stderr.write(`[bench:fanout] ${message}\n`);
// The heap at the largest heap size seen (the peak RSS itself comes from getrusage at the end).
// The fake instances live in their own process. Sampled every ~100 ms: it walks the heap.
let peak = process.memoryUsage();
let lastSample = 0;
const sampleRss = () => {
  if (Date.now() - lastSample < 100) return;
  lastSample = Date.now();
  const now = process.memoryUsage();
  if (now.heapTotal > peak.heapTotal) peak = now;
};

class BenchFailure extends Error {}

/**
 * Polls the sink until every activity has reached `inboxes` distinct shared inboxes. Fails after
 * `timeoutMs`, or sooner when nothing arrives for a quarter of TIMEOUT_MS (a lost message).
 */
async function waitForDeliveries(
  sink: Sink,
  ids: string[],
  inboxes: number,
  what: string,
  timeoutMs = TIMEOUT_MS,
): Promise<SinkStats> {
  const started = Date.now();
  let lastReport = started;
  let lastProgress = started;
  let previous = -1;
  for (;;) {
    sampleRss();
    const stats = await sink.stats();
    const reached = ids.reduce((n, id) => n + Math.min(stats.activities[id]?.inboxes ?? 0, inboxes), 0);
    if (reached === ids.length * inboxes) return stats;
    if (reached !== previous) [previous, lastProgress] = [reached, Date.now()];
    if (Date.now() - started > timeoutMs || Date.now() - lastProgress > TIMEOUT_MS / 4) {
      throw new BenchFailure(
        `${what}: only ${reached} of ${ids.length * inboxes} deliveries after ${Date.now() - started} ms`,
      );
    }
    if (Date.now() - lastReport > 5000) {
      log(`${what}: ${reached}/${ids.length * inboxes} delivered`);
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A typical library post: a title, a few paragraphs of Markdown, tags, ~2 KB. */
function article(n: number): PostInput {
  const paragraph =
    "Vilniaus universiteto biblioteka kviečia į parodą apie senąsias knygas ir jų restauravimą. " +
    "The exhibition shows bindings, maps and manuscripts from the sixteenth to the nineteenth century, " +
    "with guided tours on weekends and a catalogue available in Lithuanian, Latvian and English.";
  return {
    title: `Exhibition of old books, part ${n}`,
    content: `## Part ${n}\n\n${paragraph}\n\n${paragraph}\n\n*Open daily 10–18.*\n\n${paragraph}`,
    format: "markdown",
    language: "en",
    tags: ["exhibition", "rare_books", `part${n}`],
  };
}

const createIdOf = (item: Item) => `${item.iri}#create`;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Instance {
  services: Services;
  database: Database;
  workerPids: number[];
  depth(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Our instance as `npm start` runs it with NODE_TYPE=all, but in this process on `database`; with
 * BENCH_WORKERS this process is the web node and the queue runs in worker processes.
 */
async function startInstance(database: Database, databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "baltic-bench-"));
  // Through loadConfig, as `npm start` reads it, so new settings get their defaults here too.
  // DATABASE_URL is set as in production: the queue then uses LISTEN/NOTIFY, polling as fallback.
  const env = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "warning",
    SECRET_KEY: "x".repeat(32),
  };
  const config = loadConfig({ ...env, NODE_TYPE: WORKERS > 0 ? "web" : "all" });
  const setup = buildFederation(config, database);
  const { federation, queues } = setup;
  const app = createApp({ config, db: database.db, federation });
  const abort = new AbortController();
  const queueDone =
    WORKERS > 0
      ? Promise.resolve()
      : runWorkers(setup, { db: database.db, config, federation }, abort.signal);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const workers = WORKERS > 0 ? await startWorkers(WORKERS, env) : undefined;
  return {
    services: { db: database.db, config, federation },
    database,
    workerPids: workers?.pids ?? [],
    depth: async () => {
      const depths = await Promise.all(Object.values(queues).map((q) => q.getDepth()));
      return depths.reduce((sum, d) => sum + d.queued, 0);
    },
    async stop() {
      abort.abort();
      await workers?.stop();
      await Promise.race([queueDone.catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function cpuNow(instance: Instance, sink: Sink) {
  const own = process.cpuUsage();
  return {
    instance: (own.user + own.system) / 1e6,
    postgres: (await postgresCpuSeconds(instance.database)) ?? Number.NaN,
    workers: instance.workerPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    sink: (await sink.stats()).cpuSeconds,
  };
}

interface Figures {
  [key: string]: unknown;
}

async function run(instance: Instance, sink: Sink, queries: QueryCounts | undefined): Promise<Figures> {
  const { services } = instance;
  const perInstance = Math.ceil(FOLLOWERS / INSTANCES);
  const account = await createAccount(services.db, { username: "bench", name: "Bench Library" });
  const warmup = await createAccount(services.db, { username: "warmup", name: "Warm-up Library" });
  let started = performance.now();
  const actorIds = await insertFollowers(services.db, account.id, sink.ports, perInstance);
  // The warm-up account is followed by one reader on each of the first few instances.
  await services.db.insert(followers).values(
    Array.from({ length: WARMUP_INSTANCES }, (_, p) => ({
      accountId: warmup.id,
      actorId: actorIds[p * perInstance] ?? "",
      followIri: `urn:bench:warmup:${p}`,
      state: "accepted" as const,
    })),
  );
  log(`inserted ${actorIds.length} followers in ${Math.round(performance.now() - started)} ms`);

  // Warm-up: JIT, JSON-LD contexts and both accounts' key imports, outside the measurement.
  await fedContext(services).getActorKeyPairs("bench");
  const warm = await publishPost(services, warmup, article(0));
  await waitForDeliveries(sink, [createIdOf(warm)], WARMUP_INSTANCES, "warm-up");
  started = performance.now();
  const followerRows = await listFollowers(services.db, account.id, { limit: 1_000_000 });
  const listFollowersMs = performance.now() - started;
  log(`warm-up done; listing ${followerRows.length} followers takes ${Math.round(listFollowersMs)} ms`);

  // 1. One post, alone: publish latency and how fast its 500 deliveries go out.
  const t0 = Date.now();
  started = performance.now();
  const first = await publishPost(services, account, article(1));
  const firstPublishMs = performance.now() - started;
  const afterFirst = await waitForDeliveries(sink, [createIdOf(first)], INSTANCES, "first post");
  const one = afterFirst.activities[createIdOf(first)] as ActivityStats;
  const totalMs = one.lastAt - t0;
  log(`first post: publish ${round(firstPublishMs)} ms, ${INSTANCES} deliveries in ${totalMs} ms`);

  // 2. REPEATS posts back to back, without waiting for deliveries: publish latency under load
  // (the queue is busy delivering the earlier ones) and sustained delivery throughput.
  const queriesBefore = new Map(queries);
  const cpuBefore = await cpuNow(instance, sink);
  const burstStart = Date.now();
  const publishMs: number[] = [];
  const burst: Item[] = [];
  for (let i = 0; i < REPEATS; i++) {
    started = performance.now();
    burst.push(await publishPost(services, account, article(2 + i)));
    publishMs.push(performance.now() - started);
    sampleRss();
  }
  const burstPublishedMs = Date.now() - burstStart;
  const burstIds = burst.map(createIdOf);
  const afterBurst = await waitForDeliveries(sink, burstIds, INSTANCES, "burst", TIMEOUT_MS * REPEATS);
  const lastAt = Math.max(...burstIds.map((id) => afterBurst.activities[id]?.lastAt ?? 0));
  const burstMs = lastAt - burstStart;
  const cpuAfter = await cpuNow(instance, sink);
  log(`burst: ${REPEATS} posts published in ${burstPublishedMs} ms, all delivered after ${burstMs} ms`);
  log(`burst: publish ms in order: ${publishMs.map((ms) => Math.round(ms)).join(" ")}`);

  // Let the queue finish deleting handled messages, then look for duplicates and stray requests.
  const settleUntil = Date.now() + 5000;
  while ((await instance.depth()) > 0 && Date.now() < settleUntil)
    await new Promise((r) => setTimeout(r, 50));
  const queueLeft = await instance.depth();
  const perDelivery = queries && queriesPer(queriesBefore, queries, REPEATS * INSTANCES);
  const final = await sink.stats();
  const ids = [createIdOf(warm), createIdOf(first), ...burstIds];
  const expected = WARMUP_INSTANCES + INSTANCES * (1 + REPEATS);
  const delivered = ids.reduce((n, id) => n + (final.activities[id]?.deliveries ?? 0), 0);
  const sorted = [...publishMs].sort((a, b) => a - b);
  sampleRss();

  const figures: Figures = {
    bench: "fanout",
    followers: actorIds.length,
    instances: INSTANCES,
    repeats: REPEATS,
    worker_processes: WORKERS,
    database: EMBEDDED ? "embedded" : "postgresql",
    publish_ms_p50: round(percentile(sorted, 50)),
    publish_ms_p95: round(percentile(sorted, 95)),
    publish_ms_max: round(sorted[sorted.length - 1] ?? Number.NaN),
    first_publish_ms: round(firstPublishMs),
    list_followers_ms: round(listFollowersMs),
    first_delivery_ms: one.firstAt - t0,
    total_ms: totalMs,
    deliveries: one.deliveries,
    deliveries_per_s: round(INSTANCES / (totalMs / 1000)),
    sustained_deliveries: REPEATS * INSTANCES,
    sustained_ms: burstMs,
    sustained_deliveries_per_s: round((REPEATS * INSTANCES) / (burstMs / 1000)),
    duplicates: delivered - expected,
    stray_requests: final.requests - delivered,
    queue_left: queueLeft,
    signatures_checked: final.verified + final.failed,
    signatures_failed: final.failed,
    // Peak RSS of this process (our instance, or with BENCH_WORKERS its web part) over the run.
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(WORKERS > 0 && { worker_rss_mb: instance.workerPids.map(peakRssMb) }),
    heap_used_mb_at_peak: Math.round(peak.heapUsed / 2 ** 20),
    // Where the burst's CPU went, in ms per delivery (the sink is the fake outside world).
    cpu_ms_per_delivery: {
      instance: round(((cpuAfter.instance - cpuBefore.instance) * 1000) / (REPEATS * INSTANCES), 2),
      ...(WORKERS > 0 && {
        workers: round(((cpuAfter.workers - cpuBefore.workers) * 1000) / (REPEATS * INSTANCES), 2),
      }),
      postgres: round(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / (REPEATS * INSTANCES), 2),
      sink: round(((cpuAfter.sink - cpuBefore.sink) * 1000) / (REPEATS * INSTANCES), 2),
    },
    ...(perDelivery && {
      db_queries_per_delivery: round(
        Object.values(perDelivery).reduce((a, b) => a + b, 0),
        2,
      ),
    }),
  };
  const perBurstDelivery = (seconds: number) => (seconds * 1000) / (REPEATS * INSTANCES);
  Object.assign(
    figures,
    judge({
      publish_ms_p95: figures.publish_ms_p95 as number,
      sustained_deliveries_per_s: figures.sustained_deliveries_per_s as number,
      rss_mb: Math.max(figures.rss_mb as number, ...instance.workerPids.map(peakRssMb)),
      cpu_ms_per_delivery: round(
        perBurstDelivery(
          cpuAfter.instance -
            cpuBefore.instance +
            (cpuAfter.workers - cpuBefore.workers) +
            (cpuAfter.postgres - cpuBefore.postgres),
        ),
        2,
      ),
    }),
  );
  const problems: string[] = [];
  if (final.failed > 0) problems.push(`${final.failed} signatures failed: ${final.failures.join("; ")}`);
  if (final.verified === 0) problems.push("no signature was checked");
  if (delivered !== expected) problems.push(`${delivered} deliveries, expected exactly ${expected}`);
  if (final.requests !== delivered)
    problems.push(`${final.requests - delivered} requests for unknown activities`);
  log(
    `memory at the largest heap (MB): ${JSON.stringify(Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 2 ** 20)])))}`,
  );
  if (perDelivery) log(`SQL statements per delivery in the burst:\n${JSON.stringify(perDelivery, null, 1)}`);
  if (problems.length > 0) throw Object.assign(new BenchFailure(problems.join("\n")), { figures });
  return figures;
}

async function main(): Promise<number> {
  // Logs to stderr only: stdout carries nothing but the one JSON line.
  await configure({
    reset: true,
    // Fedify tags its log records with request context, as server/logging.ts sets up.
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { stderr: (record) => process.stderr.write(defaultTextFormatter(record)) },
    loggers: [
      { category: ["baltic"], lowestLevel: "warning", sinks: ["stderr"] },
      { category: ["fedify"], lowestLevel: "warning", sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  let bench: BenchDatabase | undefined;
  let instance: Instance | undefined;
  let sink: Sink | undefined;
  let figures: Figures = { bench: "fanout" };
  let code = 0;
  try {
    if (EMBEDDED) {
      embeddedDir = mkdtempSync(join(tmpdir(), "baltic-bench-embedded-"));
      embedded = await startEmbeddedDatabase(embeddedDir);
    }
    bench = await createBenchDatabase(embedded?.url ?? ADMIN_URL, COUNT_QUERIES);
    sink = await Sink.start(INSTANCES);
    log(`${sink.ports.length} fake instances listening`);
    instance = await startInstance(bench.database, bench.url);
    figures = await run(instance, sink, bench.queries);
  } catch (error) {
    code = 1;
    const partial = (error as { figures?: Figures }).figures;
    figures = { ...(partial ?? figures), ok: false, error: String(error) };
    log(error instanceof BenchFailure ? `FAILED: ${error.message}` : `ERROR: ${(error as Error).stack}`);
  } finally {
    await instance?.stop().catch((e: unknown) => log(`stopping the instance: ${String(e)}`));
    await sink?.stop();
    await bench?.drop().catch((e: unknown) => log(`dropping the database: ${String(e)}`));
    await embedded?.release().catch((e: unknown) => log(`stopping the embedded database: ${String(e)}`));
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  return code;
}

process.exit(await main());
