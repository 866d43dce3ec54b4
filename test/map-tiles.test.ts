import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { createUser } from "../server/domain/users.ts";
import { axeViolationsWithoutScripts } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { storeRemoteLibrary } from "./support/stored-sources.ts";

/**
 * MAP_TILE_URL: a tile server's tiles under the directory map, aligned with its dots. The tile
 * server is a fake of the outside world on loopback, recording what the browser asked of it.
 */
describe("directory map over a configured tile server (fake tile server, sources written to the database)", {
  timeout: 60_000,
}, () => {
  let hub: InProcessInstance;
  let browser: Browser;
  let tiles: Server;
  const requested: string[] = [];

  beforeAll(async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#cfe3c1" } })
      .png()
      .toBuffer();
    tiles = createServer((req, res) => {
      requested.push(req.url ?? "");
      if (/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? ""))
        res.writeHead(200, { "Content-Type": "image/png" }).end(png);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => tiles.listen(0, "127.0.0.1", () => resolve()));
    const port = (tiles.address() as AddressInfo).port;
    browser = await launchChromium();
    hub = await startInProcess({
      instanceRole: "hub",
      mapTiles: { url: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`, attribution: "© Tile makers" },
    });
    const account = await createAccount(hub.db, { username: "hub", name: "Baltic hub" });
    await createUser(hub.db, { email: "admin@hub.example", password: "long-password-1", role: "admin" });
    await storeRemoteLibrary(
      hub.db,
      {
        host: "vilnius.example",
        name: "Vilniaus biblioteka",
        city: "Vilnius",
        country: "LT",
        latitude: 54.6872,
        longitude: 25.2797,
      },
      account,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await new Promise<void>((resolve) => tiles?.close(() => resolve()));
  });

  it("draws the tiles that cover the frame under the outlines, Vilnius inside its own tile, without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(new URL("/directory", hub.url).href);
    const images = await page.locator(".map-tiles image").evaluateAll((nodes) =>
      nodes.map((n) => ({
        href: n.getAttribute("href") ?? "",
        x: Number(n.getAttribute("x")),
        y: Number(n.getAttribute("y")),
        size: Number(n.getAttribute("width")),
      })),
    );
    // Zoom 4: the frame (12°W–42°E, 44°N–71°N) spans tiles x 7–9 and y 3–5.
    expect(images.map((i) => new URL(i.href).pathname).sort()).toEqual(
      ["3", "4", "5"].flatMap((y) => ["7", "8", "9"].map((x) => `/4/${x}/${y}.png`)).sort(),
    );
    // Vilnius (25.28°E, 54.69°N) is in tile 4/9/5: its dot lies inside that tile's square.
    const tile = images.find((i) => i.href.endsWith("/4/9/5.png"));
    const dot = page.locator("a.map-dot circle");
    const cx = Number(await dot.getAttribute("cx"));
    const cy = Number(await dot.getAttribute("cy"));
    expect(tile).toBeDefined();
    expect(cx).toBeGreaterThan(tile?.x ?? Number.NaN);
    expect(cx).toBeLessThan((tile?.x ?? 0) + (tile?.size ?? 0));
    expect(cy).toBeGreaterThan(tile?.y ?? Number.NaN);
    expect(cy).toBeLessThan((tile?.y ?? 0) + (tile?.size ?? 0));
    // The browser loaded them (the CSP lets images come from anywhere), and the credit shows.
    await expect.poll(() => requested.filter((r) => r.startsWith("/4/")).length).toBeGreaterThanOrEqual(9);
    await expect(page.locator("figure.directory-map figcaption").textContent()).resolves.toContain(
      "© Tile makers",
    );
    expect(await axeViolationsWithoutScripts(page)).toEqual([]);
    await context.close();
  });
});
