import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { freePort } from "../server/free-port.ts";
import { RemoteFollowError, remoteFollowUrl, SUBSCRIBE_REL } from "../server/services/remote-follow.ts";
import { translator } from "../web/i18n/index.ts";
import { axeViolationsWithoutScripts } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { WebClient } from "./support/web-client.ts";

const t = translator("en");

/**
 * A fake of someone's Mastodon server (not our code): WebFinger for any acct: names a subscribe
 * template, and the template's page says which URI it was asked to follow.
 */
async function startFakeMastodon(): Promise<{ server: Server; origin: string; asked: string[] }> {
  const asked: string[] = [];
  let origin = "";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/.well-known/webfinger") {
      asked.push(url.searchParams.get("resource") ?? "");
      res.writeHead(200, { "Content-Type": "application/jrd+json" }).end(
        JSON.stringify({
          subject: url.searchParams.get("resource"),
          links: [
            { rel: "self", type: "application/activity+json", href: `${origin}/users/you` },
            { rel: SUBSCRIBE_REL, template: `${origin}/interact?uri={uri}` },
          ],
        }),
      );
    } else if (url.pathname === "/interact") {
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(`<!DOCTYPE html><title>Follow</title><p id="asked">${url.searchParams.get("uri")}</p>`);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, asked };
}

/**
 * Where the answer to the form sends the browser: its Refresh header, which must match the
 * page's link (a 303 would be refused by browsers under form-action 'self').
 */
async function destination(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const refresh = /^0; url=(.+)$/.exec(response.headers.get("refresh") ?? "")?.[1] ?? "";
  const html = await response.text();
  expect(html).toContain(`<a href="${refresh.replaceAll("&", "&amp;")}" rel="noopener noreferrer">`);
  return refresh;
}

/** The library profile's "follow from your server" form (POST /users/:username/remote-follow). */
describe("remote follow from the library profile", { timeout: 60_000 }, () => {
  let site: InProcessInstance;
  let theirs: InProcessInstance;
  let fake: Awaited<ReturnType<typeof startFakeMastodon>>;
  let browser: Browser;
  const actorUri = () => new URL("/users/vilnius", site.url).href;

  /** Opens the profile (for its CSRF token) and submits the form with `handle`. */
  async function submit(handle: string, csrf?: false) {
    const client = new WebClient(site.url);
    const profile = await client.page("/users/vilnius");
    expect(profile.status).toBe(200);
    return client.postForm("/users/vilnius/remote-follow", { handle }, csrf === false ? { csrf } : {});
  }

  beforeAll(async () => {
    browser = await launchChromium();
    [site, theirs, fake] = await Promise.all([startInProcess(), startInProcess(), startFakeMastodon()]);
    await createAccount(site.db, { username: "vilnius", name: "Vilniaus biblioteka" });
    await createAccount(theirs.db, { username: "reader", name: "A reader's library" });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => fake?.server.close(resolve));
    await Promise.all([site?.stop(), theirs?.stop()]);
  });

  it("explains copying the handle and offers the form on the profile", async () => {
    const { html } = await new WebClient(site.url).page("/users/vilnius");
    expect(html).toContain(t("profile.remoteFollow.explain", { handle: `@vilnius@${site.url.host}` }));
    expect(html).toContain('action="/users/vilnius/remote-follow"');
    expect(html).toContain(`<label for="remote-follow-handle">${t("profile.remoteFollow.label")}</label>`);
  });

  it("sends a user of a second real instance of ours (no subscribe template) to its /authorize_interaction", async () => {
    const location = new URL(await destination(await submit(`@reader@${theirs.url.host}`)));
    // Over http only because the test instances have no TLS (private addresses allowed).
    expect(location.origin).toBe(theirs.url.origin);
    expect(location.pathname).toBe("/authorize_interaction");
    expect(location.searchParams.get("uri")).toBe(actorUri());
  });

  it("fills a fake Mastodon server's subscribe template with this account's actor URI", async () => {
    const response = await submit(`you@${new URL(fake.origin).host}`);
    expect(await destination(response)).toBe(`${fake.origin}/interact?uri=${encodeURIComponent(actorUri())}`);
    expect(fake.asked.at(-1)).toBe(`acct:you@${new URL(fake.origin).host}`);
  });

  it("in Chromium without JavaScript, submitting the form lands on the fake Mastodon server's follow page", async () => {
    const context = await browser.newContext({ locale: "en-GB", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL("/users/vilnius", site.url).href);
    expect(await axeViolationsWithoutScripts(page)).toEqual([]);
    await page.getByLabel(t("profile.remoteFollow.label")).fill(`@you@${new URL(fake.origin).host}`);
    await Promise.all([
      page.waitForURL(`${fake.origin}/interact?**`),
      page.getByRole("button", { name: t("profile.remoteFollow.submit") }).click(),
    ]);
    expect(await page.locator("#asked").textContent()).toBe(actorUri());
    await context.close();
  });

  it("re-renders the profile with an inline error (400) for a malformed handle", async () => {
    const response = await submit("not a handle");
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(`<h1>Vilniaus biblioteka</h1>`);
    expect(html).toContain(
      `<p class="error" id="remote-follow-error">${t("profile.remoteFollow.notHandle", { value: "not a handle" })}</p>`,
    );
    expect(html).toMatch(/<input id="remote-follow-handle"[^>]*value="not a handle"[^>]*aria-invalid="true"/);
  });

  it("says an unknown account and an unreachable server inline (400), never a 500", async () => {
    const unknown = await submit(`@nobody@${theirs.url.host}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(t("profile.remoteFollow.unknown", { host: theirs.url.host }));
    const closed = `127.0.0.1:${await freePort()}`;
    const unreachable = await submit(`@you@${closed}`);
    expect(unreachable.status).toBe(400);
    expect(await unreachable.text()).toContain(t("profile.remoteFollow.unreachable", { host: closed }));
  });

  it("refuses a handle on a private address where private addresses are not allowed", async () => {
    const attempt = remoteFollowUrl(`@reader@${theirs.url.host}`, actorUri(), { allowPrivateAddress: false });
    await expect(attempt).rejects.toBeInstanceOf(RemoteFollowError);
    await expect(attempt).rejects.toMatchObject({ problem: "private", host: theirs.url.host });
  });

  it("refuses the form without its CSRF token (403)", async () => {
    const response = await submit(`@reader@${theirs.url.host}`, false);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(t("form.csrf"));
  });

  // Last: it spends this client address's budget for the minute.
  it("answers 429 with the inline error once a client address has used its 20 attempts a minute", async () => {
    const client = new WebClient(site.url);
    await client.page("/users/vilnius");
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const response = await client.postForm("/users/vilnius/remote-follow", { handle: "not a handle" });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(await response.text()).toContain(t("profile.remoteFollow.tooMany"));
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 400)).toBe(true);
  });
});
