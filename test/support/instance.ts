import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import type { Config } from "../../server/config.ts";
import { buildFederation } from "../../server/federation/federation.ts";
import { createApp } from "../../server/http/app.ts";
import type { Services } from "../../server/services/context.ts";
import { runWorkers } from "../../server/services/workers.ts";
import { openMediaStorage } from "../../server/storage/index.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { freePort, waitFor } from "./ports.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

export interface InProcessInstance extends Services {
  url: URL;
  database: TestDatabase;
  stop(): Promise<void>;
}

export function testConfig(port: number, overrides: Partial<Config> = {}): Config {
  return {
    port,
    host: "127.0.0.1",
    publicUrl: new URL(`http://127.0.0.1:${port}`),
    databaseUrl: undefined,
    dataDir: mkdtempSync(join(tmpdir(), "baltic-test-")),
    instanceRole: "library",
    nodeType: "all",
    allowPrivateAddress: true,
    trustProxy: false,
    logLevel: "warning",
    secretKey: "x".repeat(32),
    loginRateLimit: 10,
    inboxRateLimit: 6000,
    inboxDomainRateLimit: 6000,
    authorizedFetch: false,
    videoEmbedHosts: ["peertube.example"],
    mediaStorage: "filesystem",
    mediaLimits: { image: 10 * 1024 * 1024, document: 50 * 1024 * 1024, video: 500 * 1024 * 1024 },
    ...overrides,
  };
}

/** An instance in this process over real HTTP on loopback, on its own fresh database. */
export async function startInProcess(
  overrides: Partial<Config> = {},
  appOptions: Parameters<typeof createApp>[1] = {},
): Promise<InProcessInstance> {
  const database = await createTestDatabase();
  const port = await freePort();
  const config = testConfig(port, overrides);
  const setup = buildFederation(config, database);
  const { federation } = setup;
  const storage = openMediaStorage(config);
  const app = createApp({ config, db: database.db, federation, storage }, appOptions);
  const abort = new AbortController();
  const queueDone = runWorkers(setup, { db: database.db, config, federation, storage }, abort.signal);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    db: database.db,
    config,
    federation,
    storage,
    url: config.publicUrl,
    database,
    async stop() {
      abort.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queueDone.catch(() => {});
      await database.drop();
    },
  };
}

/**
 * Another web process of the same instance (same configuration and database, its own port and
 * in-memory state), as behind a load balancer.
 */
export async function startSecondWebProcess(
  instance: InProcessInstance,
): Promise<{ url: URL; close(): Promise<void> }> {
  const port = await freePort();
  const app = createApp({
    config: instance.config,
    db: instance.db,
    federation: instance.federation,
    storage: instance.storage,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SpawnedInstance {
  url: URL;
  port: number;
  env: Record<string, string>;
  process: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The real server program (`server/main.ts`) as a separate process. */
export async function spawnInstance(
  env: Record<string, string>,
  port?: number,
  runAs: { uid?: number; gid?: number } = {},
): Promise<SpawnedInstance> {
  const chosenPort = port ?? (await freePort());
  const fullEnv: Record<string, string> = {
    PORT: String(chosenPort),
    PUBLIC_URL: `http://127.0.0.1:${chosenPort}`,
    ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    ...env,
  };
  const child = spawn(process.execPath, ["scripts/run.ts", "server"], {
    cwd: ROOT,
    env: { ...process.env, ...fullEnv },
    stdio: ["ignore", "pipe", "pipe"],
    ...runAs,
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = new URL(fullEnv.PUBLIC_URL ?? "");
  await waitFor(
    async () => {
      if (child.exitCode != null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
      // A worker serves no HTTP: it is ready once its queue runs.
      if (fullEnv.NODE_TYPE === "worker") return log.includes("Queue worker started");
      return (await fetch(new URL("/nodeinfo/2.1", url))).ok;
    },
    { timeoutMs: 60_000, what: `server on port ${chosenPort}` },
  ).catch((error) => {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${log}`);
  });
  return {
    url,
    port: chosenPort,
    env: fullEnv,
    process: child,
    output: () => log,
    async kill(signal = "SIGTERM") {
      if (child.exitCode == null) child.kill(signal);
      await exited;
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- …` the way an operator would (what npm runs: `node scripts/run.ts cli …`). */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
  runAs: { uid?: number; gid?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/run.ts", "cli", ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warning", ...env },
      stdio: ["pipe", "pipe", "pipe"],
      ...runAs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(stdin ?? "");
    child.once("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A DATA_DIR holding a copy of the embedded database initialised once per run by the global
 * setup (initdb takes seconds; a copy a fraction of that).
 */
export function embeddedDataDir(): string {
  const template = process.env.BALTIC_EMBEDDED_TEMPLATE;
  if (!template)
    throw new Error("BALTIC_EMBEDDED_TEMPLATE is unset: run the tests with vitest (global setup)");
  const dir = mkdtempSync(join(tmpdir(), "baltic-embedded-"));
  cpSync(template, dir, { recursive: true });
  return dir;
}
