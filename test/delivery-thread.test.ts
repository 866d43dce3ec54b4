import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findAccount } from "../server/domain/accounts.ts";
import { createTestDatabase, queuedMessages, type TestDatabase } from "./support/db.ts";
import { insertFollowers } from "./support/followers.ts";
import { runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

const INSTANCES = 12;

/** ADR 0006: NODE_TYPE=all delivers from a thread of its own, and stops it cleanly. */
describe("the delivery thread of an all process", () => {
  let db: TestDatabase;
  let sink: InboxSink;
  let server: SpawnedInstance | undefined;

  afterAll(async () => {
    await server?.kill("SIGKILL");
    await sink?.close();
    await db?.drop();
  });

  it("serves pages while it delivers, finishes in-flight deliveries on SIGTERM, exits 0", async () => {
    db = await createTestDatabase();
    // Slow remote inboxes keep deliveries in flight when SIGTERM comes.
    sink = await startInboxSink(INSTANCES, 1000);
    const env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-thread-")) };
    server = await spawnInstance(env);
    // Logged after the server listens, so it may arrive just after the first answer.
    const started = server;
    await waitFor(async () => started.output().includes("Queue worker started in a thread of its own"), {
      what: "the delivery thread's start in the log",
    });
    const created = await runCli(
      ["accounts", "create", "--username", "siauliai", "--name", "Šiauliai County Library"],
      server.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const account = await findAccount(db.db, "siauliai");
    if (!account) throw new Error("account missing");
    await insertFollowers(db.db, account.id, sink.ports, 2);
    const post = await runCli(
      [
        "posts",
        "create",
        "--language",
        "en",
        "--account",
        "siauliai",
        "--title",
        "Reading club",
        "--summary",
        "Every Tuesday.",
        "--content",
        "<p>Join.</p>",
      ],
      server.env,
    );
    expect(post.code, post.stderr).toBe(0);

    await waitFor(async () => sink.deliveries.length > 0, { what: "the first delivery" });
    // The web side answers while the thread has deliveries in flight.
    const page = await fetch(new URL("/users/siauliai", server.url), { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Šiauliai County Library");

    const process = server.process;
    await server.kill("SIGTERM");
    expect(process.exitCode).toBe(0);
    expect(server.output()).toContain("shutting down");
    // What was in flight arrived; what was not is still queued: nothing was lost.
    expect(sink.distinct() + (await queuedMessages(db))).toBeGreaterThanOrEqual(INSTANCES);

    server = await spawnInstance(server.env, server.port);
    await waitFor(async () => sink.distinct() === INSTANCES, {
      what: `all ${INSTANCES} deliveries`,
      timeoutMs: 60_000,
    });
    await waitFor(async () => (await queuedMessages(db)) === 0, { what: "the queue to drain" });
  }, 120_000);
});
