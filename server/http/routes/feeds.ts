import { Hono } from "hono";
import { findAccount } from "../../domain/accounts.ts";
import { listItems } from "../../domain/items.ts";
import { POST_TYPES, type PostType } from "../../domain/posts.ts";
import type { AppEnv } from "../env.ts";
import { FEED_TYPES, type FeedFormat, libraryFeed } from "../feeds.ts";

const FEED_SIZE = 50;

/** RSS 2.0, Atom and JSON Feed of a library: all its items, or one type (`?type=event`). */
export const feedRoutes = new Hono<AppEnv>();

feedRoutes.get("/users/:username/:file{feed\\.(rss|atom|json)}", async (c) => {
  const { db, config } = c.get("deps");
  const format = c.req.param("file").slice("feed.".length) as FeedFormat;
  const account = await findAccount(db, c.req.param("username"));
  if (!account) return c.text("Not found", 404);
  const kind = c.req.query("type");
  if (kind !== undefined && !(kind in POST_TYPES)) {
    return c.text(`type must be one of ${Object.keys(POST_TYPES).join(", ")}`, 400);
  }
  const page = await listItems(db, config.publicUrl, {
    limit: FEED_SIZE,
    accountId: account.id,
    type: kind ? POST_TYPES[kind as PostType].activityType : undefined,
  });
  return c.body(libraryFeed(account, page.items, config.publicUrl, format, kind), 200, {
    "Content-Type": FEED_TYPES[format],
    // Feed readers poll; five minutes keeps them current and our database calm.
    "Cache-Control": "public, max-age=300",
  });
});
