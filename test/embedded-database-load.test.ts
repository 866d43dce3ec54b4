import { afterAll, describe, expect, it } from "vitest";
import { findAccount } from "../server/domain/accounts.ts";
import { connectEmbedded, countRows } from "./support/embedded.ts";
import { insertFollowers } from "./support/followers.ts";
import { embeddedDataDir, runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

const WRITES = 30;
const INSTANCES = 10;

/** Log lines at error or fatal level (LogTape's console format), or a crash's stack. */
function problems(log: string): string[] {
  return log.split("\n").filter((line) => /\s(ERR|FTL)\s|Error:|PostgresError/.test(line));
}

/**
 * The trial that broke the PGlite-based embedded database (issue 6): many CLI commands writing
 * while the server answers pages and delivers a fan-out. A real PostgreSQL takes it.
 */
describe("embedded PostgreSQL under concurrent CLI writes, HTTP reads and a fan-out", () => {
  let server: SpawnedInstance | undefined;
  let sink: InboxSink | undefined;

  afterAll(async () => {
    await server?.kill("SIGTERM");
    await sink?.close();
  });

  it("answers every request, runs every command and keeps every row after a restart", async () => {
    const dataDir = embeddedDataDir();
    sink = await startInboxSink(INSTANCES);
    server = await spawnInstance({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const created = await runCli(
      ["accounts", "create", "--username", "kaunas", "--name", "Kaunas"],
      server.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const database = connectEmbedded(dataDir);
    try {
      const account = await findAccount(database.db, "kaunas");
      if (!account) throw new Error("account missing");
      await insertFollowers(database.db, account.id, sink.ports, 20);
    } finally {
      await database.close();
    }

    // Steady reads of pages, the API and ActivityPub documents until the writes are done.
    const statuses = new Map<number, number>();
    let writing = true;
    const reads = (async () => {
      const paths = ["/", "/users/kaunas", "/api/v1/items?limit=50", "/received"];
      for (let i = 0; writing; i++) {
        const path = paths[i % paths.length] ?? "/";
        const accept = i % 5 === 4 ? "application/activity+json" : "text/html";
        const target = i % 5 === 4 ? "/users/kaunas/outbox?cursor=" : path;
        const response = await fetch(new URL(target, server?.url), { headers: { Accept: accept } });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    })();

    const writes = await Promise.all(
      Array.from({ length: WRITES }, (_, i) =>
        i % 10 === 9
          ? runCli(
              ["accounts", "update", "--username", "kaunas", "--summary", `Profile ${i}`],
              server?.env ?? {},
            )
          : runCli(
              [
                "posts",
                "create",
                "--language",
                "en",
                "--account",
                "kaunas",
                "--title",
                `Reading club ${i}`,
              ].concat(["--summary", "Monthly meeting.", "--content", `<p>Meeting ${i}.</p>`]),
              server?.env ?? {},
            ),
      ),
    );
    writing = false;
    await reads;

    for (const result of writes) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
    }
    const posts = WRITES - WRITES / 10;
    // Each post (and each profile update) reaches each instance's shared inbox.
    await waitFor(async () => sink && sink.distinct() === INSTANCES * WRITES, {
      what: `${INSTANCES * WRITES} deliveries`,
      timeoutMs: 120_000,
    });
    expect([...statuses.keys()]).toEqual([200]);
    expect(statuses.get(200)).toBeGreaterThan(10);
    expect(problems(server.output())).toEqual([]);

    const port = server.port;
    await server.kill("SIGTERM");
    server = await spawnInstance({ DATA_DIR: dataDir, DATABASE_URL: "" }, port);
    const after = connectEmbedded(dataDir);
    try {
      expect(await countRows(after, "items")).toBe(posts);
      const [profile] = await after.sql<{ summary: string }[]>`SELECT summary FROM accounts`;
      expect(profile?.summary).toMatch(/^Profile \d+$/);
    } finally {
      await after.close();
    }
  }, 240_000);
});
