import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Database } from "../server/db/client.ts";
import { blockDomain, isBlockedHost, unblockDomain } from "../server/domain/domain-blocks.ts";
import { PostgresAtLeastOnceQueue } from "../server/federation/queue.ts";
import { RateLimiter } from "../server/http/rate-limit.ts";
import { createTestDatabase, queuedMessages, type TestDatabase } from "./support/db.ts";
import { waitFor } from "./support/ports.ts";

/**
 * Issue 9 (ingest speed): what the inbox path now keeps in memory or groups still behaves like
 * the one-statement-per-request version across processes. A second connection pool on the same
 * database stands in for another process (a second web process, the CLI).
 */
describe("inbox path: shared counters, cached blocks, grouped enqueues", () => {
  let db: TestDatabase;
  let other: Database;

  beforeAll(async () => {
    db = await createTestDatabase();
    other = connect(db.url, 2);
  });
  afterAll(async () => {
    await other?.close();
    await db?.drop();
  });

  it("shares one rate-limit budget between processes once their counts are flushed", async () => {
    const here = new RateLimiter(db.db, "speed", 5, 60_000);
    const there = new RateLimiter(other.db, "speed", 5, 60_000);
    for (let i = 0; i < 3; i++) expect(await here.take("198.51.100.7")).toBe(true);
    await here.flush();
    // The other process reads the 3 hits when it first sees the key: 2 are left.
    expect(await there.take("198.51.100.7")).toBe(true);
    expect(await there.take("198.51.100.7")).toBe(true);
    expect(await there.take("198.51.100.7")).toBe(false);
    expect(await there.spent("198.51.100.7")).toBe(true);
    await there.flush();
    // This process learns of the other's hits at its next flush.
    expect(await here.spent("198.51.100.7")).toBe(false);
    await here.flush();
    expect(await here.spent("198.51.100.7")).toBe(true);
    expect(await here.take("198.51.100.7")).toBe(false);
    // Other keys and other limiters keep their own budgets.
    expect(await here.take("203.0.113.9")).toBe(true);
    expect(await new RateLimiter(db.db, "speed-other", 5, 60_000).spent("198.51.100.7")).toBe(false);
    const [row] = await db.sql<{ count: number }[]>`
      SELECT count FROM rate_limit_hits WHERE key = 'speed:198.51.100.7'`;
    expect(row?.count).toBe(6);
  });

  it("starts a new window once the old one is over", async () => {
    const limiter = new RateLimiter(db.db, "short", 2, 300);
    expect(await limiter.take("a")).toBe(true);
    expect(await limiter.take("a")).toBe(true);
    expect(await limiter.take("a")).toBe(false);
    await limiter.flush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await limiter.take("a")).toBe(true);
  });

  it("sees a block made by another process (the CLI) within moments, and its lifting", async () => {
    expect(await isBlockedHost(db.db, "social.spam.example")).toBe(false);
    await blockDomain(other.db, "spam.example", "bulk follows");
    await waitFor(() => isBlockedHost(db.db, "social.spam.example"), {
      what: "the block noticed",
      timeoutMs: 5_000,
    });
    // The blocking process itself knows at once.
    expect(await isBlockedHost(other.db, "spam.example:8443")).toBe(true);
    expect(await isBlockedHost(db.db, "example")).toBe(false);
    await unblockDomain(other.db, "spam.example");
    await waitFor(async () => !(await isBlockedHost(db.db, "social.spam.example")), {
      what: "the unblock noticed",
      timeoutMs: 5_000,
    });
  });

  it("stores concurrent enqueues in groups, and a bad message fails only its own request", async () => {
    const queue = new PostgresAtLeastOnceQueue(db.sql, { name: "grouped" });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => queue.enqueue(n === 17 ? { text: "nul \u0000 here" } : { n })),
    );
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(results[17]?.status).toBe("rejected");
    expect(await queuedMessages(db)).toBe(39);
    const rows = await db.sql<{ n: number }[]>`
      SELECT (message ->> 'n')::int AS n FROM queue_messages WHERE queue = 'grouped' ORDER BY id`;
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 40 }, (_, n) => n).filter((n) => n !== 17));
  });
});
