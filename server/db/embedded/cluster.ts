import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { createSecretFileOnce, ensureWritableDataDir } from "../../data-dir.ts";
import { StartupError } from "../../startup-error.ts";
import {
  type Binaries,
  checkReachable,
  chownTree,
  EMBEDDED_MAJOR,
  findBinaries,
  postgresUser,
  type RunAs,
  runProgram,
} from "./binaries.ts";

const logger = getLogger(["baltic", "db", "embedded"]);

/** An embedded PostgreSQL data folder under DATA_DIR, ready to start. */
export interface Cluster {
  dataDir: string;
  /** The PostgreSQL data folder: DATA_DIR/postgres. */
  pgdata: string;
  /** DATA_DIR/postgres.password (mode 0600): the password of the `postgres` role. */
  passwordFile: string;
  password: string;
  binaries: Binaries;
  /** The user PostgreSQL runs as when it is not us (we are root). */
  user: RunAs | null;
}

const PASSWORD_PATTERN = /^[A-Za-z0-9_-]{16,200}$/;

/** Our settings, rewritten at every start so a new release can change them. */
const SETTINGS = `# Written by the Baltic libraries server at every start: edits here are lost.
# Put your own settings after the include line in postgresql.conf, or use ALTER SYSTEM.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql-%a.log'
log_truncate_on_rotation = on
log_rotation_age = '1d'
log_rotation_size = 0
`;

function relative(cluster: Pick<Cluster, "dataDir">, path: string): string {
  return path.startsWith(cluster.dataDir) ? `DATA_DIR${path.slice(cluster.dataDir.length)}` : path;
}

/**
 * The password, kept in a file only we can read. It is made once, before the data folder, with an
 * exclusive link: processes initialising at the same moment all read the same password.
 */
function ensurePassword(dataDir: string, passwordFile: string, pgdataExists: boolean): string {
  const shown = relative({ dataDir }, passwordFile);
  if (!existsSync(passwordFile)) {
    if (pgdataExists) {
      throw new StartupError(
        `${shown} is missing: it holds the password of the embedded database in DATA_DIR/postgres. ` +
          "Restore it from your backup of DATA_DIR.",
      );
    }
    createSecretFileOnce(passwordFile, randomBytes(24).toString("base64url"));
  }
  let password: string;
  try {
    password = readFileSync(passwordFile, "utf8").trim();
  } catch (error) {
    throw new StartupError(`${shown} cannot be read: ${(error as Error).message}`);
  }
  if (!PASSWORD_PATTERN.test(password)) {
    throw new StartupError(
      `${shown} is damaged: it should hold one line, the password of the embedded database. ` +
        "Restore it from your backup of DATA_DIR.",
    );
  }
  if ((statSync(passwordFile).mode & 0o077) !== 0) {
    chmodSync(passwordFile, 0o600);
    logger.warn("{file} was readable by others; it is now mode 600", { file: shown });
  }
  return password;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether postmaster.pid names a live process (server.ts checks that it really is ours). */
function serverSeemsRunning(pgdata: string): boolean {
  try {
    const pid = Number(readFileSync(join(pgdata, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid);
  } catch {
    return false;
  }
}

/** Drafts left by an initialisation that was killed half-way. */
function removeAbandonedDrafts(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const match = /^postgres\.init-(\d+)-/.exec(name);
    if (match && !isAlive(Number(match[1]))) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

/** initdb into a draft folder, then one rename: a half-made data folder is never taken for real. */
async function initialise(cluster: Cluster): Promise<void> {
  logger.info(`Initialising the embedded PostgreSQL ${EMBEDDED_MAJOR} database in {pgdata} (first start)`, {
    pgdata: cluster.pgdata,
  });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const draft = `${cluster.pgdata}.init-${suffix}`;
  const passwordInput = join(cluster.dataDir, `.initdb-password-${suffix}`);
  mkdirSync(draft, { mode: 0o700 });
  writeFileSync(passwordInput, `${cluster.password}\n`, { mode: 0o600 });
  if (cluster.user) {
    chownSync(draft, cluster.user.uid, cluster.user.gid);
    chownSync(passwordInput, cluster.user.uid, cluster.user.gid);
  }
  let result: Awaited<ReturnType<typeof runProgram>>;
  try {
    result = await runProgram(
      cluster.binaries.initdb,
      [
        `--pgdata=${draft}`,
        "--username=postgres",
        `--pwfile=${passwordInput}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // The builtin provider needs no operating-system locales, so every machine sorts alike.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--lc-messages=C",
        "--no-instructions",
      ],
      cluster.user,
    );
  } finally {
    rmSync(passwordInput, { force: true });
  }
  if (result.code !== 0) {
    rmSync(draft, { recursive: true, force: true });
    throw new StartupError(`Could not initialise the embedded database:\n${result.output}`);
  }
  appendFileSync(join(draft, "postgresql.conf"), "\ninclude_if_exists = 'baltic.conf'\n");
  try {
    renameSync(draft, cluster.pgdata);
  } catch (error) {
    rmSync(draft, { recursive: true, force: true });
    // Another process of ours initialised it at the same moment, with the same password file.
    if (!existsSync(join(cluster.pgdata, "PG_VERSION"))) throw error;
  }
}

function checkVersion(cluster: Cluster): void {
  const version = readFileSync(join(cluster.pgdata, "PG_VERSION"), "utf8").trim();
  if (version !== EMBEDDED_MAJOR) {
    throw new StartupError(
      `DATA_DIR/postgres holds a PostgreSQL ${version} database, but this release embeds PostgreSQL ` +
        `${EMBEDDED_MAJOR}. Upgrade the folder (see "Upgrading the embedded database" in docs/operations.md), ` +
        "or move it away to start afresh.",
    );
  }
}

/**
 * Makes DATA_DIR/postgres ready to start: checks DATA_DIR, creates the password and the data
 * folder on the first start, and refuses a data folder of another PostgreSQL major version.
 */
export async function prepareCluster(dataDir: string): Promise<Cluster> {
  ensureWritableDataDir(dataDir);
  const pgdata = join(dataDir, "postgres");
  const passwordFile = join(dataDir, "postgres.password");
  const [binaries, user] = await Promise.all([findBinaries(), postgresUser()]);
  checkReachable(pgdata, user);
  removeAbandonedDrafts(dataDir);
  const hasData = existsSync(join(pgdata, "PG_VERSION"));
  if (!hasData && existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new StartupError(
      "DATA_DIR/postgres is not empty but holds no PostgreSQL database (no PG_VERSION file). Move it away.",
    );
  }
  const password = ensurePassword(dataDir, passwordFile, hasData);
  const cluster: Cluster = { dataDir, pgdata, passwordFile, password, binaries, user };
  if (!hasData) await initialise(cluster);
  checkVersion(cluster);
  // A running server (of a web or worker process) keeps its folder as it is: a command run as
  // another user must not take the live folder from it.
  if (serverSeemsRunning(pgdata)) return cluster;
  // A data folder copied or restored by root belongs to root; PostgreSQL wants it as its own, 0700.
  chownTree(pgdata, user);
  chmodSync(pgdata, 0o700);
  const settings = join(pgdata, "baltic.conf");
  writeFileSync(settings, SETTINGS, { mode: 0o600 });
  if (user) chownSync(settings, user.uid, user.gid);
  return cluster;
}
