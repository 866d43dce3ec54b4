import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../server/db/ids.ts";
import { type Snapshot, snapshot, summary, unexpectedChanges } from "./support/db-snapshot.ts";
import { runFuzz } from "./support/fuzz-inbox.ts";
import {
  captureErrorLogs,
  drained,
  type FuzzWorld,
  failuresAfterAccept,
  startFuzzWorld,
} from "./support/fuzz-target.ts";

/**
 * The bounded slice of the inbox fuzzer (`npm run fuzz` runs ≥ 10,000): hostile requests against
 * a real instance, signed with a second instance's real keys. FUZZ_SEED replays a failing run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe("inbox fuzzing (bounded slice)", () => {
  let world: FuzzWorld;
  let errors: string[];
  let before: Snapshot;

  beforeAll(async () => {
    errors = await captureErrorLogs();
    world = await startFuzzWorld({ inboxRequestsPerMinute: 1_000_000 });
    before = await snapshot(world.home.database.sql);
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });

  it(`survives ${RUNS} generated activities: no 5xx, no accepted forgery, only explained changes`, async () => {
    const started = performance.now();
    const stats = await runFuzz(world, { runs: RUNS, seed: SEED, concurrency: 4 });
    const sent = performance.now();
    await drained(world.home);
    const timing = { sendMs: Math.round(sent - started), drainMs: Math.round(performance.now() - sent) };
    const after = await snapshot(world.home.database.sql);
    const unexpected = unexpectedChanges(before, after, stats.authentic);
    const report = JSON.stringify(
      {
        seed: SEED,
        ...timing,
        loopDelayMaxMs: stats.loopDelayMaxMs,
        slowest: stats.slowest.slice(0, 2),
        tried: stats.tried,
        byStatus: stats.byStatus,
        failures: stats.failures,
        unexpected: unexpected.slice(0, 5),
        errorsAfterAccept: failuresAfterAccept(errors).slice(0, 5),
      },
      null,
      1,
    );
    console.info(
      `inbox fuzz slice: seed ${SEED}, ${JSON.stringify({ ...timing, byStatus: stats.byStatus })}`,
    );
    expect(stats.tried, report).toBe(RUNS);
    expect(stats.fiveXx, report).toBe(0);
    expect(stats.forgedAccepted, report).toBe(0);
    expect(stats.unhandledRejections, report).toBe(0);
    expect(stats.failures, report).toEqual([]);
    expect(unexpected, report).toEqual([]);
    expect(failuresAfterAccept(errors), report).toEqual([]);
    // The run did exercise the valid paths: activities were accepted and some changed the database.
    expect(stats.byStatus["202"] ?? 0, report).toBeGreaterThan(RUNS / 10);
    expect(summary(after), report).not.toEqual(summary(before));
  }, 120_000);

  it("the snapshot diff flags a change no authentic activity explains", async () => {
    const now = await snapshot(world.home.database.sql);
    const { sql } = world.home.database;
    const [actor] = await sql<
      { id: string }[]
    >`SELECT id FROM remote_actors WHERE iri = ${world.signers.peer.id}`;
    // Garbage planted as if the inbox had stored it: an item of the peer's that it never sent.
    await sql`INSERT INTO items (id, iri, type, remote_actor_id, published)
              VALUES (${uuidv7()}, ${`${world.signers.peer.id}/planted`}, 'Note', ${actor?.id ?? null}, now())`;
    await sql`UPDATE accounts SET name = 'defaced'`;
    const flagged = unexpectedChanges(now, await snapshot(sql), new Map());
    expect(flagged.map((c) => `${c.table} ${c.kind}`).sort()).toEqual(["accounts changed", "items added"]);
  });
});
