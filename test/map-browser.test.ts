import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { createUser } from "../server/domain/users.ts";
import { en } from "../web/i18n/en.ts";
import { lt } from "../web/i18n/lt.ts";
import { axeViolations, axeViolationsWithoutScripts } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { storeRemoteLibrary } from "./support/stored-sources.ts";

/**
 * The directory map in Chromium: a plain linked map without JavaScript, zoom, pan and a popup
 * with it (web/public/map.js). The hub's sources are written to the database (the federation
 * that brings them is tested by hub-directory.test.ts).
 */
describe("the directory map in a real browser (sources written to the database)", { timeout: 60_000 }, () => {
  let hub: InProcessInstance;
  let browser: Browser;
  const libraries = [
    { name: "Vilniaus biblioteka", city: "Vilnius", country: "LT", latitude: 54.6872, longitude: 25.2797 },
    { name: "Rīgas bibliotēka", city: "Rīga", country: "LV", latitude: 56.9496, longitude: 24.1052 },
  ];
  const directory = () => new URL("/directory", hub.url).href;

  beforeAll(async () => {
    browser = await launchChromium();
    hub = await startInProcess({ instanceRole: "hub" });
    const account = await createAccount(hub.db, { username: "hub", name: "Baltic hub" });
    // An admin exists: until then every page leads to setup.
    await createUser(hub.db, { email: "admin@hub.example", password: "long-password-1", role: "admin" });
    for (const [i, library] of libraries.entries()) {
      await storeRemoteLibrary(hub.db, { host: `library${i}.example`, ...library }, account);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it("without JavaScript shows the map with linked dots and the list, and nothing else", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(directory());
    const map = page.locator("figure.directory-map svg");
    await expect(map.count()).resolves.toBe(1);
    await expect(map.getAttribute("viewBox")).resolves.toMatch(/^0 0 \d+ \d+$/);
    await expect(
      page.locator("a.map-dot").evaluateAll((dots) => dots.map((d) => d.getAttribute("href"))),
    ).resolves.toEqual(["https://library1.example/@lib", "https://library0.example/@lib"]);
    const rows = page.locator("table.directory tbody th a");
    await expect(rows.allTextContents()).resolves.toEqual(["Rīgas bibliotēka", "Vilniaus biblioteka"]);
    // No zoom buttons and no popup: the script did not run.
    await expect(page.locator(".map-controls").count()).resolves.toBe(0);
    await expect(page.locator(".map-popup").count()).resolves.toBe(0);
    expect(await axeViolationsWithoutScripts(page)).toEqual([]);
    await context.close();
  });

  it("with JavaScript zooms with the buttons, keys and wheel, pans by dragging, and names a dot", async () => {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(directory());
    const map = page.locator("figure.directory-map svg");
    const viewBox = async () => (await map.getAttribute("viewBox"))?.split(" ").map(Number) ?? [];
    const [, , fullWidth] = await viewBox();
    await page.getByRole("button", { name: en["directory.zoomIn"] }).click();
    expect((await viewBox())[2]).toBeCloseTo((fullWidth ?? 0) / 1.5, 3);
    await page.getByRole("button", { name: en["directory.zoomOut"] }).click();
    expect((await viewBox())[2]).toBeCloseTo(fullWidth ?? 0, 3);

    // Keyboard on the focused map: + zooms in, an arrow pans, 0 shows the whole map again.
    await map.focus();
    await page.keyboard.press("+");
    const zoomed = await viewBox();
    expect(zoomed[2]).toBeLessThan(fullWidth ?? 0);
    await page.keyboard.press("ArrowRight");
    expect((await viewBox())[0]).toBeGreaterThan(zoomed[0] ?? 0);
    await page.keyboard.press("0");
    expect((await viewBox())[2]).toBe(fullWidth);

    // The wheel zooms in; a drag moves the view.
    const box = await map.boundingBox();
    if (!box) throw new Error("the map is not drawn");
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await viewBox())[2]).toBeLessThan(fullWidth ?? 0);
    const beforeDrag = await viewBox();
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 3 + 120, box.y + box.height / 3 + 40, { steps: 5 });
    await page.mouse.up();
    expect((await viewBox())[0]).toBeLessThan(beforeDrag[0] ?? 0);

    // Focusing a dot (Tab order) names it in the popup; clicking another shows its link there.
    const popup = page.locator(".map-popup[role=status]");
    await page.getByRole("button", { name: en["directory.zoomReset"] }).click();
    await page.locator("a.map-dot").first().focus();
    await expect(popup.textContent()).resolves.toBe("Rīgas bibliotēka, Rīga");
    await page.locator("a.map-dot").nth(1).click();
    expect(page.url()).toBe(directory());
    await expect(popup.getByRole("link", { name: "Vilniaus biblioteka" }).getAttribute("href")).resolves.toBe(
      "https://library0.example/@lib",
    );
    await page.keyboard.press("Escape");
    await expect(popup.isHidden()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("names the buttons in the reader's language", async () => {
    const page = await browser.newPage();
    await page.goto(`${directory()}?lang=lt`);
    await expect(page.getByRole("button", { name: lt["directory.zoomIn"] }).count()).resolves.toBe(1);
    await expect(page.getByRole("group", { name: lt["directory.mapControls"] }).count()).resolves.toBe(1);
    await page.close();
  });
});
