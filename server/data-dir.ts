import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StartupError } from "./startup-error.ts";

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "the disk is full";
    case "ENOTDIR":
    case "EEXIST":
      return "a file is in the way (it must be a folder)";
    default:
      return (error as Error).message;
  }
}

/**
 * Makes sure DATA_DIR exists and that this process can write there, before anything is kept in
 * it. A problem becomes a StartupError that names the path and what is wrong, not a stack trace.
 */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupError(`DATA_DIR=${dataDir}: cannot create the folder: ${reason(error)}`);
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new StartupError(`DATA_DIR=${dataDir} is a file; it must be a folder`);
  }
  // access(W_OK) says yes to root on a read-only mount; writing a file is the real test.
  const probe = join(dataDir, `.write-test-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    writeFileSync(probe, "");
  } catch (error) {
    throw new StartupError(`DATA_DIR=${dataDir} is not writable: ${reason(error)}`);
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Writes a generated secret to `path` (mode 0600) unless the file exists, with an exclusive link:
 * processes starting at the same moment (web, worker, a CLI command) all end up with one secret.
 */
export function createSecretFileOnce(path: string, secret: string): void {
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}
