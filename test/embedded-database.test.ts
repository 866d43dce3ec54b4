import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findAccount } from "../server/domain/accounts.ts";
import { connectEmbedded, isRunning, postmaster } from "./support/embedded.ts";
import { insertFollowers } from "./support/followers.ts";
import { embeddedDataDir, runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

const embedded = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: "" });

async function actorName(server: SpawnedInstance, username: string): Promise<string | undefined> {
  const response = await fetch(new URL(`/users/${username}`, server.url), {
    headers: { Accept: "application/activity+json" },
  });
  return response.ok ? ((await response.json()) as { name: string }).name : undefined;
}

function ownerOf(pid: number): string {
  return execFileSync("ps", ["-o", "user=", "-p", String(pid)], { encoding: "utf8" }).trim();
}

/** No DATABASE_URL: a real PostgreSQL 18 from npm runs under DATA_DIR (DESIGN.md §2–3). */
describe("embedded PostgreSQL", () => {
  const servers: SpawnedInstance[] = [];
  const sinks: InboxSink[] = [];
  const start = async (...args: Parameters<typeof spawnInstance>) => {
    const server = await spawnInstance(...args);
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill("SIGTERM")));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  it("initialises on the first start, keeps data across restarts, and serves the CLI with and without the server", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "baltic-first-"));
    let server = await start(embedded(dataDir));
    expect(server.output()).toMatch(/Initialising the embedded PostgreSQL 18 database/);
    expect(statSync(join(dataDir, "postgres.password")).mode & 0o777).toBe(0o600);
    const running = postmaster(dataDir);
    expect(running && isRunning(running.pid)).toBe(true);
    // Loopback only, no Unix socket anywhere.
    const pidFile = readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n");
    expect(pidFile[4]?.trim()).toBe("");
    expect(pidFile[5]?.trim()).toBe("127.0.0.1");
    await server.kill("SIGTERM");
    servers.length = 0;
    // Ctrl-C / SIGTERM stops the database with the server.
    expect(postmaster(dataDir)).toBeNull();
    if (running) expect(isRunning(running.pid)).toBe(false);

    // The CLI alone (no server running) starts the database for the command and stops it after.
    const offline = await runCli(
      ["accounts", "create", "--username", "riga", "--name", "Riga Central Library", "--country", "LV"],
      embedded(dataDir),
    );
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toBe("");
    expect(postmaster(dataDir)).toBeNull();

    server = await start(embedded(dataDir), server.port);
    expect(server.output()).not.toContain("Initialising");
    const restarted = postmaster(dataDir);
    // While the server runs, the CLI is an ordinary second connection.
    const online = await runCli(
      ["posts", "create", "--language", "en", "--account", "riga", "--title", "BIBLIO digital skills"].concat(
        ["--summary", "40 librarians trained.", "--content", "<p>Good practice.</p>"],
      ),
      server.env,
    );
    expect(online.code, online.stderr).toBe(0);
    expect(online.stderr).toBe("");
    const articleUrl = online.stdout.trim();
    expect(postmaster(dataDir)?.pid).toBe(restarted?.pid); // the CLI left the server's database alone

    await server.kill("SIGTERM");
    servers.length = 0;
    server = await start(embedded(dataDir), server.port);
    expect(await actorName(server, "riga")).toBe("Riga Central Library");
    const article = await fetch(articleUrl, { headers: { Accept: "application/activity+json" } });
    expect(article.status).toBe(200);
    expect(((await article.json()) as { name: string }).name).toBe("BIBLIO digital skills");
  }, 120_000);

  it("adopts the database a SIGKILLed server left running: back at once with all data", async () => {
    const dataDir = embeddedDataDir();
    const first = await start(embedded(dataDir));
    const created = await runCli(["accounts", "create", "--username", "tartu", "--name", "Tartu"], first.env);
    expect(created.code, created.stderr).toBe(0);
    const database = postmaster(dataDir);
    await first.kill("SIGKILL");
    servers.length = 0;
    // PostgreSQL outlives its parent's SIGKILL: the next start must not start a second one.
    expect(database && isRunning(database.pid)).toBe(true);

    const before = Date.now();
    const second = await start(embedded(dataDir), first.port);
    // Issue 6 asks for 10 s, which a quiet machine meets (adopting itself takes ~1 s). The
    // bound here leaves room for a loaded CI machine and still fails if the start waits out a
    // timeout (the 60 s readiness wait, a 5 s connect timeout per probe).
    expect(Date.now() - before).toBeLessThan(30_000);
    expect(second.output()).toContain("already runs");
    expect(postmaster(dataDir)?.pid).toBe(database?.pid);
    expect(await actorName(second, "tartu")).toBe("Tartu");
  }, 120_000);

  it("runs a web and a worker process on one DATA_DIR; the last one to stop stops the database", async () => {
    const dataDir = embeddedDataDir();
    const sink = await startInboxSink(3);
    sinks.push(sink);
    const web = await start({ ...embedded(dataDir), NODE_TYPE: "web" });
    const worker = await start({ ...embedded(dataDir), NODE_TYPE: "worker" }, undefined);
    expect(worker.output()).toContain("already runs");
    const created = await runCli(
      ["accounts", "create", "--username", "liepaja", "--name", "Liepāja"],
      web.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const database = connectEmbedded(dataDir);
    try {
      const account = await findAccount(database.db, "liepaja");
      if (!account) throw new Error("account missing");
      await insertFollowers(database.db, account.id, sink.ports, 2);
    } finally {
      await database.close();
    }
    const post = await runCli(
      ["posts", "create", "--language", "en", "--account", "liepaja", "--title", "Summer reading"].concat([
        "--summary",
        "Reading challenge for children.",
        "--content",
        "<p>Join!</p>",
      ]),
      web.env,
    );
    expect(post.code, post.stderr).toBe(0);
    // The web process only queues; the worker process delivers, one Create per shared inbox.
    await waitFor(async () => sink.distinct() === 3, { what: "the worker's deliveries", timeoutMs: 30_000 });

    const pid = postmaster(dataDir)?.pid;
    await web.kill("SIGTERM");
    expect(web.output()).toContain("keeps running");
    expect(pid && isRunning(pid)).toBe(true);
    await worker.kill("SIGTERM");
    servers.length = 0;
    expect(worker.output()).toContain("Stopped the embedded database");
    expect(postmaster(dataDir)).toBeNull();
  }, 120_000);

  it("runs PostgreSQL as the postgres user under root, and as the server's own user otherwise", async () => {
    const asSelf = embeddedDataDir();
    const server = await start(embedded(asSelf));
    const db = postmaster(asSelf);
    const root = process.getuid?.() === 0;
    expect(db && ownerOf(db.pid)).toBe(root ? "postgres" : userInfo().username);
    if (!root) return;

    // As an ordinary user (CI runs as root, so switch to nobody), PostgreSQL runs as that user.
    const nobody = { uid: Number(execFileSync("id", ["-u", "nobody"]).toString()), gid: 65534 };
    const dataDir = embeddedDataDir();
    const chownAll = (path: string) => {
      chownSync(path, nobody.uid, nobody.gid);
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownAll(join(path, name));
    };
    chownAll(dataDir);
    const asNobody = await start({ ...embedded(dataDir), HOME: dataDir }, undefined, nobody);
    const nobodyDb = postmaster(dataDir);
    expect(nobodyDb && ownerOf(nobodyDb.pid)).toBe("nobody");
    const created = await runCli(
      ["accounts", "create", "--username", "vilnius", "--name", "Vilnius"],
      asNobody.env,
      "",
      nobody,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await actorName(asNobody, "vilnius")).toBe("Vilnius");
    expect(await actorName(server, "vilnius")).toBeUndefined(); // two DATA_DIRs, two databases
  }, 120_000);
});
