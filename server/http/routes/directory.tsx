import { type Context, Hono } from "hono";
import { DirectoryPage } from "../../../web/pages/directory.tsx";
import {
  type DirectoryQuery,
  directoryCountries,
  listDirectory,
  parseDirectoryQuery,
} from "../../domain/directory.ts";
import { ValidationError } from "../../domain/errors.ts";
import { hubAccount } from "../../domain/hub-sources.ts";
import { mapTiles } from "../../domain/map-outlines.ts";
import type { AppEnv } from "../env.ts";
import { publicFile } from "../public-file.ts";
import { render, renderNotFound } from "../render.tsx";

/** /directory (page with the map) and /directory.json (the map's data): a hub's followed libraries. */
export const directoryRoutes = new Hono<AppEnv>();

// The map's progressive enhancement (zoom, pan, popup); the page works without it.
directoryRoutes.get("/directory/map.js", publicFile("map.js"));

function readQuery(c: Context<AppEnv>): DirectoryQuery {
  return parseDirectoryQuery(c.req.query("country"), c.req.query("sort"));
}

directoryRoutes.get("/directory.json", async (c) => {
  const { db, config } = c.get("deps");
  if (config.instanceRole !== "hub") return c.json({ error: "this instance is not a hub" }, 404);
  let query: DirectoryQuery;
  try {
    query = readQuery(c);
  } catch (error) {
    if (error instanceof ValidationError) return c.json({ error: error.message }, 400);
    throw error;
  }
  const account = await hubAccount(db);
  const libraries = await listDirectory(db, account.id, query);
  return c.json(
    {
      libraries: libraries.map((l) => ({
        name: l.name,
        handle: `@${l.handle}`,
        iri: l.iri,
        url: l.url,
        country: l.country,
        city: l.city,
        website: l.website,
        latitude: l.latitude,
        longitude: l.longitude,
        items: l.items,
        lastActivity: l.lastActivity?.toISOString() ?? null,
      })),
    },
    200,
    { "Cache-Control": "public, max-age=60" },
  );
});

directoryRoutes.get("/directory", async (c) => {
  const { db, config } = c.get("deps");
  if (config.instanceRole !== "hub") return renderNotFound(c);
  const t = c.get("t");
  let query: DirectoryQuery;
  try {
    query = readQuery(c);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return render(c, { title: t("directory.title") }, <p role="alert">{error.message}</p>, 400);
  }
  const account = await hubAccount(db);
  const [libraries, countries] = await Promise.all([
    listDirectory(db, account.id, query),
    directoryCountries(db, account.id),
  ]);
  return render(
    c,
    { title: t("directory.title") },
    <DirectoryPage
      libraries={libraries}
      countries={countries}
      query={query}
      t={t}
      locale={c.get("locale")}
      tiles={
        config.mapTiles && { tiles: mapTiles(config.mapTiles.url), attribution: config.mapTiles.attribution }
      }
    />,
  );
});
