import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import postgres from "postgres";
import { freePort } from "../../free-port.ts";
import { StartupError } from "../../startup-error.ts";
import { EMBEDDED_MAJOR, runProgram } from "./binaries.ts";
import { type Cluster, prepareCluster } from "./cluster.ts";

const logger = getLogger(["baltic", "db", "embedded"]);

/** Our database inside the embedded server (the `postgres` database stays PostgreSQL's own). */
const DATABASE = "baltic";
/** Connections of our processes carry application names starting with this (see client.ts). */
export const APPLICATION_PREFIX = "baltic-";
const LIFECYCLE_APPLICATION = "baltic-lifecycle";
const START_ATTEMPTS = 5;
const WAIT_FOR_READY_MS = 60_000;

export interface EmbeddedDatabase {
  /** Connection string with the password; never log it. */
  url: string;
  /** What this process found: a server it started, or one already running for this DATA_DIR. */
  started: boolean;
  /**
   * Called after this process has closed its own connections: stops the server if no other
   * process of ours (a web or worker process, a CLI command) is still connected to it.
   */
  release(): Promise<void>;
}

/** The lines of `postmaster.pid` we need (PostgreSQL writes it while its server runs). */
interface PostmasterPid {
  pid: number;
  port: number;
  status: string;
}

function readPostmasterPid(pgdata: string): PostmasterPid | null {
  try {
    const lines = readFileSync(join(pgdata, "postmaster.pid"), "utf8").split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
    return { pid, port, status: (lines[7] ?? "").trim() };
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is a live PostgreSQL serving this data folder. A pid alone proves nothing (after a
 * reboot it may belong to anything), so on Linux its command line must name our folder too.
 */
function isOurPostmaster(pid: number, pgdata: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return true; // no /proc: trust the live pid
  try {
    const args = readFileSync(cmdline, "utf8").split("\0");
    return args.some((a) => a.endsWith("postgres")) && args.includes(pgdata);
  } catch {
    return false;
  }
}

function connectionUrl(cluster: Cluster, port: number, database = DATABASE): string {
  return `postgres://postgres:${cluster.password}@127.0.0.1:${port}/${database}`;
}

type Probe = "ours" | "unreachable" | "wrong-password" | "other-server";

/** Connects to the port and asks which data folder the server there serves. */
async function probe(cluster: Cluster, port: number): Promise<Probe> {
  const sql = postgres(connectionUrl(cluster, port, "postgres"), {
    max: 1,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: LIFECYCLE_APPLICATION },
  });
  try {
    const [row] = await sql<{ dir: string }[]>`SELECT current_setting('data_directory') AS dir`;
    return row && realpathSync(row.dir) === realpathSync(cluster.pgdata) ? "ours" : "other-server";
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "28P01") return "wrong-password";
    if (code === "42501") return "other-server"; // a server whose data folder we may not read
    return "unreachable";
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** The end of PostgreSQL's newest log file: why a start failed. */
function logTail(pgdata: string): string {
  const candidates = [join(pgdata, "startup.log")];
  const logDir = join(pgdata, "log");
  if (existsSync(logDir)) {
    for (const name of readdirSync(logDir)) candidates.push(join(logDir, name));
  }
  const newest = candidates
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return "";
  return readFileSync(newest, "utf8").trim().split("\n").slice(-8).join("\n");
}

function wrongPassword(cluster: Cluster): StartupError {
  return new StartupError(
    `The password in DATA_DIR/postgres.password does not match the embedded database in ${cluster.pgdata}. ` +
      "Restore the file from your backup of DATA_DIR.",
  );
}

/**
 * PostgreSQL's page cache for the embedded database: an eighth of the memory this process may
 * use (its cgroup's limit where it has one), from PostgreSQL's default 128 MB up to 1 GB.
 * Search reads many rows a query; with the default, a hub's search table is read through the
 * OS cache at several times the cost (bench:search, docs/operations.md).
 */
export function sharedBuffersMb(): number {
  const constrained = process.constrainedMemory();
  const memory = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.min(1024, Math.max(128, Math.floor(memory / 8 / 2 ** 20)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server already running for this data folder (started by another process of ours, or left
 * behind when a server was killed with SIGKILL): its port once it answers, or null if none runs.
 */
async function findRunning(cluster: Cluster): Promise<number | null> {
  const deadline = Date.now() + WAIT_FOR_READY_MS;
  for (;;) {
    const info = readPostmasterPid(cluster.pgdata);
    if (!info) return null;
    if (!isOurPostmaster(info.pid, cluster.pgdata)) {
      // Left by a server that died with its machine; the pid now belongs to something else.
      if (existsSync(`/proc/${info.pid}`)) rmSync(join(cluster.pgdata, "postmaster.pid"), { force: true });
      return null;
    }
    const found = await probe(cluster, info.port);
    if (found === "ours") return info.port;
    if (found === "wrong-password") throw wrongPassword(cluster);
    // Starting up (crash recovery after a kill) or shutting down: wait for it to settle.
    if (Date.now() > deadline) {
      throw new StartupError(
        `The embedded database (pid ${info.pid}, status "${info.status}") did not answer within ` +
          `${WAIT_FOR_READY_MS / 1000} s. Its log:\n${logTail(cluster.pgdata)}`,
      );
    }
    await sleep(200);
  }
}

async function pgCtl(cluster: Cluster, args: string[]) {
  return runProgram(cluster.binaries.pg_ctl, [...args, "-D", cluster.pgdata], cluster.user);
}

/** Starts the server, or adopts the one that already serves this data folder; returns its port. */
async function startOrAdopt(cluster: Cluster): Promise<{ port: number; started: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const running = await findRunning(cluster);
    if (running != null) {
      logger.info("Using the embedded PostgreSQL that already runs for {pgdata} (port {port})", {
        pgdata: cluster.pgdata,
        port: running,
      });
      return { port: running, started: false };
    }
    const port = await freePort();
    const started = Date.now();
    const result = await pgCtl(cluster, [
      "start",
      "--wait",
      "--timeout=60",
      "--silent",
      `--log=${join(cluster.pgdata, "startup.log")}`,
      `--options=-c port=${port} -c shared_buffers=${sharedBuffersMb()}MB`,
    ]);
    if (result.code === 0) {
      const found = await probe(cluster, port);
      if (found !== "ours") {
        // Unusable as it is: leave nothing running behind the error.
        await pgCtl(cluster, ["stop", "--wait", "--silent", "--mode=fast"]);
        if (found === "wrong-password") throw wrongPassword(cluster);
        throw new StartupError(`The embedded database started but does not answer on port ${port}`);
      }
      logger.info(
        `Started the embedded PostgreSQL ${EMBEDDED_MAJOR} for {pgdata} on 127.0.0.1:{port} in {ms} ms`,
        {
          pgdata: cluster.pgdata,
          port,
          ms: Date.now() - started,
        },
      );
      return { port, started: true };
    }
    // Lost a race: another process of ours started it meanwhile, or took the port we picked.
    if (attempt < START_ATTEMPTS) {
      logger.debug("pg_ctl start failed (attempt {attempt}): {output}", { attempt, output: result.output });
      continue;
    }
    throw new StartupError(
      `Could not start the embedded database in ${cluster.pgdata}:\n${result.output}\n${logTail(cluster.pgdata)}`,
    );
  }
}

async function ensureDatabase(cluster: Cluster, port: number): Promise<void> {
  const sql = postgres(connectionUrl(cluster, port, "postgres"), {
    max: 1,
    onnotice: () => {},
    connection: { application_name: LIFECYCLE_APPLICATION },
  });
  try {
    const [exists] = await sql`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`;
    if (!exists) {
      await sql.unsafe(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created by another process meanwhile
      });
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Stops the server unless other processes of ours still use it ("last one out"). */
async function stopIfLastUser(cluster: Cluster, port: number): Promise<void> {
  const sql = postgres(connectionUrl(cluster, port, "postgres"), {
    max: 1,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: LIFECYCLE_APPLICATION },
  });
  let others: number;
  try {
    // Lifecycle connections are excluded: a process that checks has already closed its pool.
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name LIKE ${`${APPLICATION_PREFIX}%`} AND application_name <> ${LIFECYCLE_APPLICATION}`;
    others = row?.n ?? 0;
  } catch {
    return; // already stopped by another process
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
  if (others > 0) {
    logger.info("The embedded database keeps running: {others} connection(s) of other processes use it", {
      others,
    });
    return;
  }
  const result = await pgCtl(cluster, ["stop", "--wait", "--timeout=60", "--silent", "--mode=fast"]);
  if (result.code === 0) logger.info("Stopped the embedded database");
  else if (readPostmasterPid(cluster.pgdata)) {
    logger.warn("Could not stop the embedded database: {output}", { output: result.output });
  }
}

/**
 * The embedded PostgreSQL for DATA_DIR (DESIGN.md §2, ADR 0005): initialised on the first start,
 * started if no process of ours runs it yet, adopted if one does. It listens on 127.0.0.1 only.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const cluster = await prepareCluster(dataDir);
  const { port, started } = await startOrAdopt(cluster);
  await ensureDatabase(cluster, port);
  return { url: connectionUrl(cluster, port), started, release: () => stopIfLastUser(cluster, port) };
}
