import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The checkout's root folder (the one holding package.json and migrations/). Found by walking up
 * from this module, because it runs both from server/ (tests, `npm run dev`) and bundled from
 * dist/ (`npm start`, the CLI), where relative paths to other files differ.
 */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "migrations"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the project folder (package.json and migrations/)");
    dir = parent;
  }
}

export const projectRoot = findProjectRoot();

/** A path inside the checkout, e.g. `projectPath("web", "public", "style.css")`. */
export function projectPath(...parts: string[]): string {
  return join(projectRoot, ...parts);
}
