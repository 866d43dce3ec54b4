import { Hono } from "hono";
import { findMedia, mediaFile, parseMediaPath } from "../../domain/media.ts";
import type { ByteRange } from "../../storage/index.ts";
import type { AppEnv } from "../env.ts";

/**
 * One `bytes=` range of a file of `size` bytes (the only kind browsers and Mastodon ask for when
 * seeking in a video); null when it cannot be satisfied, undefined when there is none to honour.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | undefined {
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined; // absent, or several ranges: the whole file is a valid answer
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return null;
  if (from === "") {
    const suffix = Number(to);
    return suffix === 0 ? null : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  return start >= size || end < start ? null : { start, end };
}

/**
 * Uploaded files, at `/media/<id>/<name>.<ext>`. Keys are unique and a file never changes, so
 * caches may keep it for a year. The type is the one read from the bytes at upload; the
 * security headers (security-headers.ts) add nosniff and a sandbox policy, so a PDF that
 * carries script cannot run it on our origin.
 */
export const mediaRoutes = new Hono<AppEnv>();

mediaRoutes.get("/:id/:file", async (c) => {
  const { db, storage } = c.get("deps");
  const path = parseMediaPath(c.req.path);
  const row = path && (await findMedia(db, path.id));
  const file = row && path && mediaFile(row, path.key);
  if (!path || !file) return c.text("Not found", 404);
  const headers: Record<string, string> = {
    "Content-Type": file.mediaType,
    "Cache-Control": "public, max-age=31536000, immutable",
    "Accept-Ranges": "bytes",
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
  };
  const range = parseRange(c.req.header("range"), file.byteSize);
  if (range === null) {
    return c.body(null, 416, { ...headers, "Content-Range": `bytes */${file.byteSize}` });
  }
  const body = await storage.stream(path.key, range);
  if (!body) return c.text("Not found", 404);
  if (!range) return c.body(body, 200, { ...headers, "Content-Length": String(file.byteSize) });
  return c.body(body, 206, {
    ...headers,
    "Content-Length": String(range.end - range.start + 1),
    "Content-Range": `bytes ${range.start}-${range.end}/${file.byteSize}`,
  });
});
