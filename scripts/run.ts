/**
 * `npm start` and `npm run cli`: runs the bundled server or CLI from dist/, rebuilding it first
 * when a source changed (see scripts/build.ts). The program runs in this very process, so
 * signals (Ctrl-C, SIGTERM from a service manager) reach it directly.
 *
 *   node scripts/run.ts server
 *   node scripts/run.ts cli <command> [options]
 */
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ENTRIES, type Entry, ensureBuilt } from "./build.ts";

const entry = process.argv[2];
if (entry == null || !Object.hasOwn(ENTRIES, entry)) {
  process.stderr.write(`Usage: node scripts/run.ts ${Object.keys(ENTRIES).join("|")} [arguments]\n`);
  process.exit(2);
}
const started = Date.now();
// The test suite builds once in its global setup and sets this, so every process of a run uses the
// same bundle even while sources are being edited, and none pays for hashing them.
if (process.env.BALTIC_BUNDLE_BUILT !== "1" && (await ensureBuilt())) {
  process.stderr.write(`Built dist/ from the sources in ${Date.now() - started} ms\n`);
}
// V8 keeps the compiled bundle on disk (in the system's temporary folder): ~0.2 s less per start.
enableCompileCache();
// The program reads its own arguments from process.argv[2…], as if it had been started directly.
process.argv.splice(2, 1);
// Stack traces name the bundle's lines unless NODE_OPTIONS=--enable-source-maps asks for the
// TypeScript sources: the parsed maps of the server and its delivery thread cost ~0.3 s at start
// and ~100 MB for as long as it runs (bench:ingest peak RSS 750 → 630 MB without them).
await import(pathToFileURL(join(DIST, `${entry as Entry}.js`)).href);
