/**
 * Fan-out benchmark (DESIGN.md §6): one post to 10,000 followers on 500 instances.
 *
 * Our instance runs as `npm start` runs it (its own process) on a fresh PostgreSQL database, over
 * real HTTP, with the real durable queue; an editor publishes through the admin form; the 500
 * remote instances are fakes in a child process (bench/fanout-sink.ts).
 * Prints one JSON line on stdout; progress and logs go to stderr. Its `ok` says whether every
 * target of DESIGN.md §6 was met, and `targets` shows each (bench/fanout-targets.ts). Exits 1 only
 * when a delivery is missing or duplicated, or a sampled signature does not verify.
 *
 * Env: BENCH_DATABASE_URL (any database on the server to use; a fresh one is created there and
 * dropped), BENCH_FOLLOWERS, BENCH_INSTANCES, BENCH_REPEATS, BENCH_TIMEOUT_S, and
 * BENCH_WORKERS=n to run the instance as NODE_TYPE=web with n NODE_TYPE=worker processes, and
 * BENCH_EMBEDDED=1 to run on the embedded PostgreSQL (started in a temporary DATA_DIR) instead.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configure, defaultTextFormatter } from "@logtape/logtape";
import { ensureBuilt } from "../scripts/build.ts";
import type { Database } from "../server/db/client.ts";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "../server/db/embedded/server.ts";
import { followers } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { listFollowers } from "../server/domain/follows.ts";
import { SHARED_QUEUE } from "../server/federation/queue-rows.ts";
import { insertFollowers } from "../test/support/followers.ts";
import { freePort } from "../test/support/ports.ts";
import { signedIn } from "../test/support/sessions.ts";
import type { WebClient } from "../test/support/web-client.ts";
import {
  type BenchDatabase,
  createBenchDatabase,
  postgresCpuSeconds,
  processCpuSeconds,
  transactionsSoFar,
} from "./fanout-db.ts";
import { startServers } from "./fanout-servers.ts";
import type { ActivityStats } from "./fanout-sink.ts";
import { Sink, type SinkStats } from "./fanout-sink-client.ts";
import { judge, peakRssMb } from "./fanout-targets.ts";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 10_000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 500);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 120) * 1000;
const WARMUP_INSTANCES = 5;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);
const EMBEDDED = process.env.BENCH_EMBEDDED === "1";

const log = (message: string) => process.stderr.write(`[bench:fanout] ${message}\n`);

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

/** A typical library post as the editor's form sends it: a title, Markdown, tags, ~2 KB. */
function article(n: number): Record<string, string> {
  const paragraph =
    "Vilniaus universiteto biblioteka kviečia į parodą apie senąsias knygas ir jų restauravimą. " +
    "The exhibition shows bindings, maps and manuscripts from the sixteenth to the nineteenth century, " +
    "with guided tours on weekends and a catalogue available in Lithuanian, Latvian and English.";
  return {
    title: `Exhibition of old books, part ${n}`,
    content: `## Part ${n}\n\n${paragraph}\n\n${paragraph}\n\n*Open daily 10–18.*\n\n${paragraph}`,
    format: "markdown",
    language: "en",
    tags: `exhibition rare_books part${n}`,
  };
}

const createIdOf = (iri: string) => `${iri}#create`;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Instance {
  /** The bench's own connection to the instance's database (set-up and queue depth). */
  database: Database;
  base: URL;
  /** The instance's process and, with BENCH_WORKERS, its worker processes. */
  pid: number;
  workerPids: number[];
  depth(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Our instance as `npm start` runs it: its own process from the bundle, NODE_TYPE=all (or web,
 * with BENCH_WORKERS worker processes beside it), on the bench's database, so its figures (CPU,
 * peak RSS, publish latency over HTTP) are the instance's alone and not the bench's.
 */
async function startInstance(database: Database, databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "baltic-bench-"));
  // DATABASE_URL is set as in production: the queue then uses LISTEN/NOTIFY, polling as fallback.
  const env = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_ADDRESS: "true",
    SECRET_KEY: "x".repeat(32),
    // One bundle for every process, built before they start.
    BALTIC_BUNDLE_BUILT: "1",
  };
  await ensureBuilt();
  const web = await startServers(
    1,
    { ...env, NODE_TYPE: WORKERS > 0 ? "web" : "all" },
    WORKERS > 0 ? "Listening on port" : "Queue worker started",
    "instance",
  );
  const workers =
    WORKERS > 0
      ? await startServers(WORKERS, { ...env, NODE_TYPE: "worker" }, "Queue worker started", "worker")
      : undefined;
  return {
    database,
    base: new URL(env.PUBLIC_URL),
    pid: web.pids[0] ?? 0,
    workerPids: workers?.pids ?? [],
    depth: async () => {
      const [row] = await database.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM queue_messages WHERE queue <> ${SHARED_QUEUE}`;
      return row?.n ?? 0;
    },
    async stop() {
      await workers?.stop();
      await web.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An editor signed in to the instance, publishing through the admin form as in a browser. */
async function signedInEditor(instance: Instance): Promise<WebClient> {
  const client = await signedIn(instance.database.db, instance.base, "admin");
  // The form's CSRF token, as the editor's browser would have it from the page.
  const form = await client.page("/admin/accounts/bench/posts/new");
  if (form.status !== 200 || !client.lastCsrf)
    throw new BenchFailure(`the post form answered ${form.status}`);
  return client;
}

/** Publishes one article through the form; returns the item's IRI. */
async function publish(client: WebClient, username: string, n: number): Promise<string> {
  const response = await client.postForm(`/admin/accounts/${username}/posts`, article(n));
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (response.status !== 303 || !location) throw new BenchFailure(`publishing answered ${response.status}`);
  return new URL(location, client.base).href;
}

async function cpuNow(instance: Instance, sink: Sink) {
  return {
    instance: processCpuSeconds(instance.pid),
    postgres: (await postgresCpuSeconds(instance.database)) ?? Number.NaN,
    workers: instance.workerPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    sink: (await sink.stats()).cpuSeconds,
  };
}

interface Figures {
  [key: string]: unknown;
}

async function run(instance: Instance, sink: Sink): Promise<Figures> {
  const db = instance.database.db;
  const perInstance = Math.ceil(FOLLOWERS / INSTANCES);
  const account = await createAccount(db, { username: "bench", name: "Bench Library" });
  const warmup = await createAccount(db, { username: "warmup", name: "Warm-up Library" });
  let started = performance.now();
  const actorIds = await insertFollowers(db, account.id, sink.ports, perInstance);
  // The warm-up account is followed by one reader on each of the first few instances.
  await db.insert(followers).values(
    Array.from({ length: WARMUP_INSTANCES }, (_, p) => ({
      accountId: warmup.id,
      actorId: actorIds[p * perInstance] ?? "",
      followIri: `urn:bench:warmup:${p}`,
      state: "accepted" as const,
    })),
  );
  log(`inserted ${actorIds.length} followers in ${Math.round(performance.now() - started)} ms`);

  // Warm-up: JIT, JSON-LD contexts and both accounts' key imports, outside the measurement.
  const editor = await signedInEditor(instance);
  // The actor documents make the instance create both accounts' keys before anything is timed.
  for (const username of ["bench", "warmup"]) {
    const actor = await fetch(new URL(`/users/${username}`, instance.base), {
      headers: { Accept: "application/activity+json" },
    });
    if (!actor.ok) throw new BenchFailure(`the actor ${username} answered ${actor.status}`);
    await actor.body?.cancel();
  }
  const warm = await publish(editor, "warmup", 0);
  await waitForDeliveries(sink, [createIdOf(warm)], WARMUP_INSTANCES, "warm-up");
  started = performance.now();
  const followerRows = await listFollowers(db, account.id, { limit: 1_000_000 });
  const listFollowersMs = performance.now() - started;
  log(`warm-up done; listing ${followerRows.length} followers takes ${Math.round(listFollowersMs)} ms`);

  // 1. One post, alone: publish latency and how fast its 500 deliveries go out.
  const t0 = Date.now();
  started = performance.now();
  const first = await publish(editor, "bench", 1);
  const firstPublishMs = performance.now() - started;
  const afterFirst = await waitForDeliveries(sink, [createIdOf(first)], INSTANCES, "first post");
  const one = afterFirst.activities[createIdOf(first)] as ActivityStats;
  const totalMs = one.lastAt - t0;
  log(`first post: publish ${round(firstPublishMs)} ms, ${INSTANCES} deliveries in ${totalMs} ms`);

  // 2. REPEATS posts back to back, without waiting for deliveries: publish latency under load
  // (the queue is busy delivering the earlier ones) and sustained delivery throughput.
  const transactionsBefore = await transactionsSoFar(instance.database);
  const cpuBefore = await cpuNow(instance, sink);
  const burstStart = Date.now();
  const publishMs: number[] = [];
  const burst: string[] = [];
  for (let i = 0; i < REPEATS; i++) {
    started = performance.now();
    burst.push(await publish(editor, "bench", 2 + i));
    publishMs.push(performance.now() - started);
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
  // Every backend has reported its transactions by now (they do within ~1 s of going idle).
  await new Promise((r) => setTimeout(r, 1500));
  const transactions = (await transactionsSoFar(instance.database)) - transactionsBefore;
  const final = await sink.stats();
  const ids = [createIdOf(warm), createIdOf(first), ...burstIds];
  const expected = WARMUP_INSTANCES + INSTANCES * (1 + REPEATS);
  const delivered = ids.reduce((n, id) => n + (final.activities[id]?.deliveries ?? 0), 0);
  const sorted = [...publishMs].sort((a, b) => a - b);

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
    // Peak RSS of the instance's process (with BENCH_WORKERS its web part) over the run.
    rss_mb: peakRssMb(instance.pid),
    ...(WORKERS > 0 && { worker_rss_mb: instance.workerPids.map(peakRssMb) }),
    // Where the burst's CPU went, in ms per delivery (the sink is the fake outside world).
    cpu_ms_per_delivery: {
      instance: round(((cpuAfter.instance - cpuBefore.instance) * 1000) / (REPEATS * INSTANCES), 2),
      ...(WORKERS > 0 && {
        workers: round(((cpuAfter.workers - cpuBefore.workers) * 1000) / (REPEATS * INSTANCES), 2),
      }),
      postgres: round(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / (REPEATS * INSTANCES), 2),
      sink: round(((cpuAfter.sink - cpuBefore.sink) * 1000) / (REPEATS * INSTANCES), 2),
    },
    // Includes the bench's own few statements (queue depth while settling).
    db_transactions_per_delivery: round(transactions / (REPEATS * INSTANCES), 2),
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
    bench = await createBenchDatabase(embedded?.url ?? ADMIN_URL);
    sink = await Sink.start(INSTANCES);
    log(`${sink.ports.length} fake instances listening`);
    instance = await startInstance(bench.database, bench.url);
    figures = await run(instance, sink);
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
