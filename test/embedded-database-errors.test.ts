import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postmaster } from "./support/embedded.ts";
import { embeddedDataDir, runCli } from "./support/instance.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const listAccounts = ["follows", "list", "--account", "nobody"];
const embedded = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: "" });

/**
 * A digest of every file of the embedded database (the data folder and the password file), to
 * prove a refused start changed nothing. (secret_key is the configuration's, made before.)
 */
function snapshot(dataDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (path: string) => {
    files[path.slice(dataDir.length)] = createHash("sha1").update(readFileSync(path)).digest("hex");
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else add(join(dir, entry.name));
    }
  };
  walk(join(dataDir, "postgres"));
  if (existsSync(join(dataDir, "postgres.password"))) add(join(dataDir, "postgres.password"));
  return files;
}

/** The real server program started once; resolves with its exit code and output. */
function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/run.ts", "server"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** Problems with DATA_DIR or the embedded database: one clear message, exit code 2, no damage. */
describe("embedded PostgreSQL: clear errors", () => {
  it("names a DATA_DIR that is a file, or that the server may not write to", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "baltic-file-")), "data");
    writeFileSync(file, "not a folder");
    const asFile = await runCli(listAccounts, embedded(file));
    expect(asFile.code).toBe(2);
    expect(asFile.stderr).toContain(`DATA_DIR=${file}`);
    expect(asFile.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace

    // Root may write anywhere, so the unwritable case runs as nobody.
    const locked = mkdtempSync(join(tmpdir(), "baltic-locked-"));
    chmodSync(locked, 0o755);
    const nobody = { uid: Number(execFileSync("id", ["-u", "nobody"]).toString()), gid: 65534 };
    const denied = await runCli(listAccounts, embedded(join(locked, "data")), "", nobody);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(
      `DATA_DIR=${join(locked, "data")}: cannot create the folder: permission denied`,
    );
    const readOnly = await runCli(listAccounts, embedded(locked), "", nobody);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain(`DATA_DIR=${locked} is not writable: permission denied`);

    // The server says the same, also with exit code 2.
    const server = await startServer(embedded(file));
    expect(server.code).toBe(2);
    expect(server.output).toContain(`DATA_DIR=${file}`);
  }, 60_000);

  it("refuses a data folder of another PostgreSQL major version and leaves it untouched", async () => {
    const dataDir = embeddedDataDir();
    writeFileSync(join(dataDir, "postgres", "PG_VERSION"), "16\n");
    const before = snapshot(dataDir);
    const result = await runCli(listAccounts, embedded(dataDir));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds a PostgreSQL 16 database, but this release embeds PostgreSQL 18");
    expect(snapshot(dataDir)).toEqual(before);
    expect(postmaster(dataDir)).toBeNull();
  }, 60_000);

  it("reports a damaged, wrong or missing password file", async () => {
    const damaged = embeddedDataDir();
    writeFileSync(join(damaged, "postgres.password"), "\n");
    const before = snapshot(damaged);
    const empty = await runCli(listAccounts, embedded(damaged));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("DATA_DIR/postgres.password is damaged");
    expect(snapshot(damaged)).toEqual(before);

    const wrong = embeddedDataDir();
    writeFileSync(join(wrong, "postgres.password"), "a-valid-looking-but-wrong-password\n", { mode: 0o600 });
    const mismatch = await runCli(listAccounts, embedded(wrong));
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("does not match the embedded database");
    // The server it had to start for the check is not left running.
    expect(postmaster(wrong)).toBeNull();

    const missing = embeddedDataDir();
    execFileSync("rm", [join(missing, "postgres.password")]);
    const gone = await runCli(listAccounts, embedded(missing));
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("DATA_DIR/postgres.password is missing");
  }, 60_000);

  it("refuses a folder in the place of the data folder that is not a database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "baltic-stray-"));
    mkdirSync(join(dataDir, "postgres"));
    writeFileSync(join(dataDir, "postgres", "notes.txt"), "mine");
    const result = await runCli(listAccounts, embedded(dataDir));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("DATA_DIR/postgres is not empty but holds no PostgreSQL database");
    expect(readFileSync(join(dataDir, "postgres", "notes.txt"), "utf8")).toBe("mine");
  }, 60_000);
});
