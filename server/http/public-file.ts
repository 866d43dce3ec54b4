import { readFileSync } from "node:fs";
import type { Handler } from "hono";
import { projectPath } from "../paths.ts";
import type { AppEnv } from "./env.ts";

const TYPES = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8" } as const;

/**
 * A handler that serves one file of web/public (the stylesheet, a page's enhancement script),
 * read once at start-up and cached by browsers for an hour. Each page's route mounts its own
 * script where the page lives, so the CSP's script-src 'self' is all it needs.
 */
export function publicFile(name: `${string}.css` | `${string}.js`): Handler<AppEnv> {
  const body = readFileSync(projectPath("web", "public", name), "utf8");
  const type = TYPES[name.endsWith(".css") ? ".css" : ".js"];
  return (c) => c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=3600" });
}
