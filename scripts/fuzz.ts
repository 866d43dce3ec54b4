/**
 * Inbox fuzzing (DESIGN.md §5): FUZZ_RUNS (default 10,000) generated hostile requests against a
 * fresh instance on a fresh database, signed with a second instance's real keys. Progress goes to
 * stderr, one JSON line of figures to stdout. Exits 1 on any 5xx, accepted forgery, unhandled
 * rejection, network error or database change that no authentic activity explains.
 *
 * Env: FUZZ_RUNS, FUZZ_SEED (replays a run; random by default), FUZZ_CONCURRENCY (default 8),
 * TEST_DATABASE_HOST (as the tests: default postgres@127.0.0.1:5432).
 */
import postgres from "postgres";
import { connect } from "../server/db/client.ts";
import { runMigrations } from "../server/db/migrate.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const log = (message: string) => process.stderr.write(`[fuzz] ${message}\n`);

// The instances clone a migrated template, as under vitest (test/support/global-setup.ts); the
// template's name must be set before test/support/db.ts is loaded.
const template = `baltic_fuzz_tpl_${process.pid}_${Date.now().toString(36)}`;
process.env.BALTIC_TEMPLATE_DB = template;
const { ADMIN_URL, databaseUrl } = await import("../test/support/db.ts");
const { snapshot, summary, unexpectedChanges } = await import("../test/support/db-snapshot.ts");
const { runFuzz } = await import("../test/support/fuzz-inbox.ts");
const { captureErrorLogs, drained, droppedAfterAccept, failuresAfterAccept, startFuzzWorld } = await import(
  "../test/support/fuzz-target.ts"
);

async function withAdmin(statement: string): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(statement).finally(() => admin.end());
}

async function main(): Promise<number> {
  const started = performance.now();
  // Fedify's refusals at the door are ERRORs too: only failures after acceptance are shown whole.
  const errors = await captureErrorLogs((line) => {
    if (failuresAfterAccept([line]).length + droppedAfterAccept([line]).length > 0) log(line.slice(0, 4000));
  });
  await withAdmin(`CREATE DATABASE ${template}`);
  let world: Awaited<ReturnType<typeof startFuzzWorld>> | undefined;
  try {
    const migrating = connect(databaseUrl(template), 2);
    await runMigrations(migrating);
    await migrating.close();
    world = await startFuzzWorld({ inboxRequestsPerMinute: 1_000_000_000 });
    const before = await snapshot(world.home.database.sql);
    log(`seed ${SEED}: ${RUNS} requests, ${CONCURRENCY} at a time`);
    let shown = 0;
    const stats = await runFuzz(world, {
      runs: RUNS,
      seed: SEED,
      concurrency: CONCURRENCY,
      onProgress: (s) => {
        if (s.tried - shown < 500) return;
        shown = s.tried;
        log(`${s.tried}/${RUNS} sent, ${s.fiveXx} 5xx, statuses ${JSON.stringify(s.byStatus)}`);
      },
    });
    log("all sent; waiting for the queue to drain");
    // Handlers that throw are retried with backoff: a queue that does not drain is a finding too.
    const queueDrained = await drained(world.home, 300_000).then(
      () => true,
      () => false,
    );
    const after = await snapshot(world.home.database.sql);
    const unexpected = unexpectedChanges(before, after, stats.authentic);
    for (const failure of stats.failures) log(`FAILURE ${failure}`);
    for (const slow of stats.slowest) log(`SLOW ${slow.ms} ms: ${slow.label}`);
    const kinds = new Map<string, number>();
    for (const line of errors) {
      const kind = (line.split("\n")[0] ?? "")
        .replace(/^.*?\[(ERR|FTL)\] /, "")
        .replace(/\d+/g, "N")
        .slice(0, 100);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const common = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12);
    log(`ERROR log lines by kind:\n${common.map(([k, n]) => `${String(n).padStart(6)}  ${k}`).join("\n")}`);
    for (const change of unexpected.slice(0, 20)) log(`UNEXPECTED ${JSON.stringify(change).slice(0, 800)}`);
    const tables = summary(after);
    const figures = {
      seed: SEED,
      tried: stats.tried,
      byStatus: stats.byStatus,
      fiveXx: stats.fiveXx,
      forgedAccepted: stats.forgedAccepted,
      replays: stats.replays,
      retriedAfterReset: stats.retried,
      loopDelayMaxMs: stats.loopDelayMaxMs,
      unhandledRejections: stats.unhandledRejections,
      networkErrors: Object.entries(stats.byStatus).reduce(
        (n, [k, v]) => n + (k.startsWith("error") ? v : 0),
        0,
      ),
      errorLogLines: errors.length,
      errorsAfterAccept: failuresAfterAccept(errors).length,
      droppedAfterAccept: droppedAfterAccept(errors).length,
      authenticAccepted: [...stats.authentic.values()].reduce((n, list) => n + list.length, 0),
      queueDrained,
      dbUnexpectedChanges: unexpected.length,
      rows: Object.fromEntries(Object.entries(tables).map(([t, s]) => [t, s.rows])),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    const failed =
      figures.fiveXx +
        figures.forgedAccepted +
        figures.unhandledRejections +
        figures.networkErrors +
        figures.errorsAfterAccept >
        0 ||
      !queueDrained ||
      unexpected.length > 0;
    return failed ? 1 : 0;
  } finally {
    await world?.stop().catch((e: unknown) => log(`stopping: ${String(e)}`));
    await withAdmin(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  }
}

process.exit(await main());
