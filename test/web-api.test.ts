import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../server/db/ids.ts";
import { items, remoteActors } from "../server/db/schema/index.ts";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import type { Item } from "../server/domain/items.ts";
import { createUser } from "../server/domain/users.ts";
import type { Services } from "../server/services/context.ts";
import { publishPost, removePost } from "../server/services/publishing.ts";
import { en } from "../web/i18n/en.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { WebClient } from "./support/web-client.ts";

interface ApiPage {
  items: { id: string; title: string; published: string; author: { handle: string } }[];
  next_cursor: string | null;
}

const POSTS = 25;

/** The received-items page, the JSON API and the discovery documents (host-meta, WebFinger, NodeInfo). */
describe("received items, JSON API and discovery", () => {
  let instance: InProcessInstance;
  let services: Services;
  let account: Account;
  let client: WebClient;
  const posts: Item[] = [];
  const remoteIri = "https://remote.example/notes/1";

  beforeAll(async () => {
    instance = await startInProcess();
    services = {
      db: instance.db,
      config: instance.config,
      federation: instance.federation,
      storage: instance.storage,
    };
    await createUser(instance.db, {
      email: "admin@library.example",
      password: "0123456789ab",
      role: "admin",
    });
    account = await createAccount(instance.db, { username: "kaunas", name: "Kaunas County Library" });
    for (let i = 1; i <= POSTS; i++) {
      posts.push(
        await publishPost(services, account, {
          title: `Training session ${i}`,
          content: `Session number ${i} of the digital skills course.`,
          language: "en",
        }),
      );
    }
    // What the inbox would have stored from a followed library on another server.
    const [actor] = await instance.db
      .insert(remoteActors)
      .values({
        id: uuidv7(),
        iri: "https://remote.example/users/tartu",
        type: "Organization",
        handle: "tartu@remote.example",
        name: "Tartu City Library",
        url: "https://remote.example/@tartu",
        inboxUrl: "https://remote.example/users/tartu/inbox",
      })
      .returning();
    await instance.db.insert(items).values({
      id: uuidv7(),
      iri: remoteIri,
      url: "https://remote.example/@tartu/1",
      type: "Article",
      title: "Reading festival in Tartu",
      summary: "Estonian libraries invite readers to a week of events.",
      content: "<p>A week of events.</p>",
      language: "en",
      remoteActorId: actor?.id,
      published: new Date(Date.now() - 3_600_000),
    });
    client = new WebClient(instance.url);
  }, 60_000);
  afterAll(async () => {
    await instance?.stop();
  });

  it("shows received items on /received and keeps them off the home page", async () => {
    const received = await client.page("/received");
    expect(received.status).toBe(200);
    expect(received.html).toContain("Reading festival in Tartu");
    expect(received.html).toContain("Tartu City Library");
    expect(received.html).toContain('href="https://remote.example/@tartu/1"');
    expect(received.html).toContain(en["received.original"]);
    expect(received.html).not.toContain("Training session");
    const home = await client.page("/");
    expect(home.html).toContain(`Training session ${POSTS}`);
    expect(home.html).not.toContain("Reading festival in Tartu");
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=abc", "limit"],
    ["limit=101", "limit"],
    ["limit=-5", "limit"],
    ["cursor=garbage", "cursor"],
    [`cursor=${Buffer.from("2026-01-01T00:00:00.000Z|not-an-id").toString("base64url")}`, "cursor"],
    // A date JavaScript accepts but PostgreSQL cannot store (issue 7, finding 5: was a 500).
    [
      `cursor=${Buffer.from("+275760-09-13T00:00:00.000Z|00000000-0000-0000-0000-000000000000").toString("base64url")}`,
      "cursor",
    ],
    [
      `cursor=${Buffer.from("2026-01-01|00000000-0000-0000-0000-000000000000").toString("base64url")}`,
      "cursor",
    ],
  ])("answers /api/v1/items?%s with 400 JSON naming the parameter", async (query, parameter) => {
    const response = await client.get(`/api/v1/items?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string; field: string };
    expect(body.field).toBe(parameter);
    expect(body.error).toMatch(new RegExp(`^${parameter}: `));
  });

  it("pages through /api/v1/items newest first, each item exactly once", async () => {
    const seen: string[] = [];
    const published: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=7&cursor=${cursor}` : "limit=7";
      const response = await client.get(`/api/v1/items?${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as ApiPage;
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((item) => item.id));
      published.push(...page.items.map((item) => item.published));
      cursor = page.next_cursor;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (cursor);
    const expected = [...posts.map((post) => post.iri), remoteIri];
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(published).toEqual([...published].sort().reverse());
    expect(seen.at(-1)).toBe(remoteIri);

    const all = (await (await client.get("/api/v1/items?limit=100")).json()) as ApiPage;
    expect(all.items.map((item) => item.id)).toEqual(seen);
    expect(all.next_cursor).toBeNull();
    expect(all.items[0]?.author.handle).toBe(`kaunas@${instance.url.host}`);
  });

  it("leaves deleted posts out of the API", async () => {
    const victim = posts.at(-1);
    if (!victim) throw new Error("no posts");
    await removePost(services, victim);
    const page = (await (await client.get("/api/v1/items?limit=100")).json()) as ApiPage;
    expect(page.items.map((item) => item.id)).not.toContain(victim.iri);
    expect(page.items).toHaveLength(POSTS);
  });

  it("answers host-meta in XML and JSON with the WebFinger template", async () => {
    const template = `${instance.url.origin}/.well-known/webfinger?resource={uri}`;
    const xml = await client.get("/.well-known/host-meta");
    expect(xml.status).toBe(200);
    expect(xml.headers.get("content-type")).toMatch(/^application\/xrd\+xml/);
    expect(await xml.text()).toContain(`<Link rel="lrdd" template="${template}"/>`);
    const json = await client.get("/.well-known/host-meta.json");
    expect(await json.json()).toEqual({ links: [{ rel: "lrdd", template }] });
  });

  it("answers WebFinger for an account and 404 for an unknown one", async () => {
    const resource = `acct:kaunas@${instance.url.host}`;
    const response = await client.get(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/jrd\+json/);
    const jrd = (await response.json()) as {
      subject: string;
      links: { rel: string; type?: string; href?: string }[];
    };
    expect(jrd.subject).toBe(resource);
    expect(jrd.links).toContainEqual(
      expect.objectContaining({
        rel: "self",
        type: "application/activity+json",
        href: new URL("/users/kaunas", instance.url).href,
      }),
    );
    const unknown = await client.get(
      `/.well-known/webfinger?resource=${encodeURIComponent(`acct:nobody@${instance.url.host}`)}`,
    );
    expect(unknown.status).toBe(404);
  });

  it("answers NodeInfo 2.1 with the user and post counts", async () => {
    const links = (await (await client.get("/.well-known/nodeinfo")).json()) as {
      links: { rel: string; href: string }[];
    };
    expect(links.links).toContainEqual(
      expect.objectContaining({
        rel: "http://nodeinfo.diaspora.software/ns/schema/2.1",
        href: new URL("/nodeinfo/2.1", instance.url).href,
      }),
    );
    const response = await client.get("/nodeinfo/2.1");
    expect(response.status).toBe(200);
    const info = (await response.json()) as {
      version: string;
      software: { name: string };
      protocols: string[];
      usage: { users: { total: number }; localPosts: number };
    };
    expect(info.version).toBe("2.1");
    expect(info.software.name).toBe("baltic-libraries");
    expect(info.protocols).toEqual(["activitypub"]);
    expect(info.usage.users.total).toBe(1);
    // 25 published, one deleted above; the received item is not ours.
    expect(info.usage.localPosts).toBe(POSTS - 1);
  });
});
