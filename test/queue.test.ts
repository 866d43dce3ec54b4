import { Temporal } from "@js-temporal/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresAtLeastOnceQueue } from "../server/federation/queue.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { waitFor } from "./support/ports.ts";

/** The at-least-once queue behind Fedify (ADR 0002), on the real PostgreSQL. */
describe("PostgresAtLeastOnceQueue", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function depth(): Promise<number> {
    const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM queue_messages`;
    return row?.n ?? 0;
  }

  function listen(queue: PostgresAtLeastOnceQueue, handler: (m: unknown) => Promise<void> | void) {
    const abort = new AbortController();
    const done = queue.listen(handler, { signal: abort.signal });
    return async () => {
      abort.abort();
      await done;
    };
  }

  it("handles a batch and deletes each message only after its handler succeeded", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    await queue.enqueueMany(Array.from({ length: 50 }, (_, i) => ({ n: i })));
    expect(await depth()).toBe(50);
    const seen: number[] = [];
    const stop = listen(queue, (m) => {
      seen.push((m as { n: number }).n);
    });
    await waitFor(async () => (await depth()) === 0 && seen.length === 50, { what: "all handled" });
    await stop();
    expect(new Set(seen).size).toBe(50);
  });

  it("keeps a message whose handler throws and runs it again later", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    await queue.enqueue({ flaky: true });
    let attempts = 0;
    const stop = listen(queue, () => {
      attempts++;
      if (attempts === 1) throw new Error("remote hiccup");
    });
    await waitFor(async () => attempts === 1, { what: "first attempt" });
    expect(await depth()).toBe(1);
    // Back-off is 2 s after the first failure; then it succeeds and is gone.
    await waitFor(async () => attempts === 2 && (await depth()) === 0, { what: "retry", timeoutMs: 10_000 });
    await stop();
  });

  it("takes again a message leased by a worker that died (lease expired)", async () => {
    await db.sql`
      INSERT INTO queue_messages (message, locked_until, attempts)
      VALUES (${JSON.stringify({ orphan: true })}::jsonb, now() - interval '1 second', 1)`;
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    const seen: unknown[] = [];
    const stop = listen(queue, (m) => {
      seen.push(m);
    });
    await waitFor(async () => seen.length === 1 && (await depth()) === 0, { what: "orphan handled" });
    await stop();
    expect(seen[0]).toEqual({ orphan: true });
  });

  it("does not take a message another live worker holds", async () => {
    await db.sql`
      INSERT INTO queue_messages (message, locked_until)
      VALUES (${JSON.stringify({ held: true })}::jsonb, now() + interval '1 minute')`;
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    const seen: unknown[] = [];
    const stop = listen(queue, (m) => {
      seen.push(m);
    });
    await new Promise((r) => setTimeout(r, 400));
    await stop();
    expect(seen).toEqual([]);
    await db.sql`DELETE FROM queue_messages`;
  });

  it("respects delays", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    const enqueuedAt = Date.now();
    await queue.enqueue({ later: true }, { delay: Temporal.Duration.from({ milliseconds: 700 }) as never });
    let handledAt = 0;
    const stop = listen(queue, () => {
      handledAt = Date.now();
    });
    await waitFor(async () => handledAt > 0, { what: "delayed message" });
    await stop();
    expect(handledAt - enqueuedAt).toBeGreaterThanOrEqual(650);
  });

  it("runs messages sharing an ordering key one at a time, in order", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 20, concurrency: 8 });
    for (let i = 0; i < 6; i++) await queue.enqueue({ i }, { orderingKey: "object-1" });
    const order: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const stop = listen(queue, async (m) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 30));
      order.push((m as { i: number }).i);
      running--;
    });
    await waitFor(async () => order.length === 6, { what: "ordered messages" });
    await stop();
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxRunning).toBe(1);
  });

  it("stores what the messages of one handler share once, and hands each handler all of it", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { pollIntervalMs: 50 });
    const activity = { type: "Create", content: "x".repeat(4000) };
    await queue.enqueue({ fanOut: true });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: unknown[] = [];
    const stop = listen(queue, async (m) => {
      const message = m as { fanOut?: boolean };
      if (message.fanOut) {
        for (let i = 0; i < 5; i++) await queue.enqueue({ i, activity });
        return;
      }
      await gate;
      seen.push(m);
    });
    const shared = async () => {
      const [row] = await db.sql<{ n: number; longest: number }[]>`
        SELECT count(*) FILTER (WHERE queue = '$shared')::int AS n,
               max(length(message::text)) FILTER (WHERE queue <> '$shared')::int AS longest
        FROM queue_messages`;
      return row;
    };
    await waitFor(async () => (await shared())?.n === 1, { what: "one shared row" });
    expect((await shared())?.longest).toBeLessThan(100);
    release();
    await waitFor(async () => seen.length === 5 && (await depth()) === 0, {
      what: "all handled, all deleted",
    });
    await stop();
    expect(seen).toEqual(expect.arrayContaining([0, 1, 2, 3, 4].map((i) => ({ i, activity }))));
  });

  it("reports its depth", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql);
    await queue.enqueueMany([{ a: 1 }, { a: 2 }]);
    await queue.enqueue({ a: 3 }, { delay: Temporal.Duration.from({ hours: 1 }) as never });
    expect(await queue.getDepth()).toEqual({ queued: 3, ready: 2, delayed: 1 });
    await db.sql`DELETE FROM queue_messages`;
  });
});
