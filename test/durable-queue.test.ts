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

const INSTANCES = 20;
const POSTS = 3;

/** DESIGN.md §5 rule 8: a process killed with SIGKILL mid-delivery loses no queued activity. */
describe("durable delivery queue", () => {
  let db: TestDatabase;
  let sink: InboxSink;
  let server: SpawnedInstance | undefined;

  afterAll(async () => {
    await server?.kill("SIGKILL");
    await sink?.close();
    await db?.drop();
  });

  it("delivers every queued activity after the sender is killed with SIGKILL and restarted", async () => {
    db = await createTestDatabase();
    // Slow remote inboxes keep deliveries in flight when the kill comes.
    sink = await startInboxSink(INSTANCES, 1500);
    const env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-kill-")) };
    server = await spawnInstance(env);
    const created = await runCli(
      ["accounts", "create", "--username", "kaunas", "--name", "Kaunas County Library"],
      server.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const account = await findAccount(db.db, "kaunas");
    if (!account) throw new Error("account missing");
    await insertFollowers(db.db, account.id, sink.ports, 3);

    const urls: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const post = await runCli(
        [
          "posts",
          "create",
          "--language",
          "en",
          "--account",
          "kaunas",
          "--title",
          `Training ${i}`,
          "--summary",
          "Digital skills.",
          "--content",
          "<p>Join us.</p>",
        ],
        server.env,
      );
      expect(post.code, post.stderr).toBe(0);
      urls.push(post.stdout.trim());
    }
    // Kill as soon as the first delivery lands: the rest are queued or in flight.
    await waitFor(async () => sink.deliveries.length > 0 || (await queuedMessages(db)) === 0, {
      what: "first delivery",
    });
    await server.kill("SIGKILL");
    const pendingAtKill = await queuedMessages(db);
    const deliveredAtKill = sink.distinct();
    expect(pendingAtKill).toBeGreaterThan(0);
    expect(deliveredAtKill).toBeLessThan(INSTANCES * POSTS);

    server = await spawnInstance(server.env, server.port);
    await waitFor(async () => sink.distinct() === INSTANCES * POSTS, {
      what: `all ${INSTANCES * POSTS} deliveries (had ${deliveredAtKill} at the kill)`,
      timeoutMs: 60_000,
    });
    // Each post reached each instance's shared inbox once or more (at-least-once), and nothing else.
    const creates = new Set(sink.deliveries.filter((d) => d.type === "Create").map((d) => d.activityId));
    expect([...creates].sort()).toEqual(urls.map((u) => `${u}#create`).sort());
    await waitFor(async () => (await queuedMessages(db)) === 0, { what: "the queue to drain" });
  }, 120_000);
});
