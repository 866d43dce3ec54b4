import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/** host-meta (RFC 6415) for clients that find WebFinger through it. Fedify serves WebFinger itself. */
export const wellKnownRoutes = new Hono<AppEnv>();

wellKnownRoutes.get("/host-meta", (c) => {
  const origin = c.get("deps").config.publicUrl.origin;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="${origin}/.well-known/webfinger?resource={uri}"/>
</XRD>
`;
  return c.body(xml, 200, { "Content-Type": "application/xrd+xml; charset=utf-8" });
});

wellKnownRoutes.get("/host-meta.json", (c) => {
  const origin = c.get("deps").config.publicUrl.origin;
  return c.json({ links: [{ rel: "lrdd", template: `${origin}/.well-known/webfinger?resource={uri}` }] });
});
