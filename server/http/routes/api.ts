import { Hono } from "hono";
import { ValidationError } from "../../domain/errors.ts";
import { countInteractions, NO_INTERACTIONS } from "../../domain/interactions.ts";
import { listItems } from "../../domain/items.ts";
import type { AppEnv } from "../env.ts";
import { searchApi } from "./search.tsx";

export const MAX_PAGE = 100;

function parseLimit(value: string | undefined): number {
  if (value == null || value === "") return 20;
  if (!/^\d+$/.test(value)) throw new ValidationError("limit", "must be a whole number");
  const n = Number(value);
  if (n < 1 || n > MAX_PAGE) throw new ValidationError("limit", `must be between 1 and ${MAX_PAGE}`);
  return n;
}

/** JSON API for scripts, tests and page enhancements. */
export const apiRoutes = new Hono<AppEnv>();

apiRoutes.get("/v1/items", async (c) => {
  const { db, config } = c.get("deps");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = c.req.query("cursor") || undefined;
  const page = await listItems(db, config.publicUrl, { limit, cursor });
  const counts = await countInteractions(db, page.items);
  return c.json({
    items: page.items.map((item) => ({
      id: item.iri,
      url: item.url,
      type: item.type,
      title: item.title,
      summary: item.summary,
      // Sanitized with the one allow-list when it was stored.
      content: item.content,
      language: item.language,
      published: item.published.toISOString(),
      updated: item.updated?.toISOString() ?? null,
      tags: item.tags,
      attachments: item.attachments,
      // Events: start and end (ISO 8601, UTC) and the details (place, online link, time zone…).
      starts_at: item.startsAt?.toISOString() ?? null,
      ends_at: item.endsAt?.toISOString() ?? null,
      details: item.details ?? null,
      author: item.author,
      counts: counts.get(item.id) ?? NO_INTERACTIONS,
    })),
    next_cursor: page.nextCursor,
  });
});

// Full text, facets and filters over what this instance may show (server/search/).
apiRoutes.get("/v1/search", searchApi);

apiRoutes.notFound((c) => c.json({ error: "no such API endpoint" }, 404));
