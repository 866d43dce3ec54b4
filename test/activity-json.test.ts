import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

type Json = Record<string, unknown>;

const AS = { Accept: "application/activity+json" };

/** What Mastodon and other servers read from our actor and article documents (DESIGN.md §4). */
describe("ActivityPub documents", () => {
  let instance: InProcessInstance;
  let account: Account;
  let articleUrl: string;

  async function getJson(url: string | URL, accept = AS.Accept): Promise<Json> {
    const response = await fetch(url, { headers: { Accept: accept } });
    expect(response.status, String(url)).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/(activity|ld)\+json/);
    return (await response.json()) as Json;
  }

  beforeAll(async () => {
    instance = await startInProcess();
    account = await createAccount(instance.db, {
      username: "lnb",
      name: "National Library of Lithuania",
      summary: "Martynas Mažvydas National Library: the Library Specialist's Space.",
      country: "LT",
      city: "Vilnius",
      latitude: 54.6905,
      longitude: 25.2634,
      website: "https://www.lnb.lt",
      iconUrl: "https://www.lnb.lt/logo.png",
    });
    const item = await publishPost(instance, account, {
      title: "Library Specialist's Space launched",
      summary: "A one-stop hub: professional news, research database, trainings calendar and webcasts.",
      content:
        "## What is inside\n\n- professional news\n- a **research** database\n\n<script>alert(1)</script>",
      format: "markdown",
      language: "lt",
      tags: ["bibliotekos", "LIS"],
      imageUrl: "https://www.lnb.lt/space.jpg",
      imageAlt: "The portal's start page",
    });
    articleUrl = item.iri;
  });

  afterAll(async () => {
    await instance?.stop();
  });

  it("serves the library as an Organization with fields, place, keys and collections", async () => {
    const actor = await getJson(new URL("/users/lnb", instance.url));
    expect(actor.type).toBe("Organization");
    expect(actor.preferredUsername).toBe("lnb");
    expect(actor.name).toBe("National Library of Lithuania");
    expect(actor.summary).toContain("Library Specialist");
    expect(actor.url).toBe(new URL("/users/lnb", instance.url).href);
    expect(actor.discoverable).toBe(true);
    expect(actor.indexable).toBe(true);
    expect(actor.manuallyApprovesFollowers).toBe(false);
    expect(typeof actor.published).toBe("string");
    expect(actor.location).toMatchObject({ type: "Place", latitude: 54.6905, longitude: 25.2634 });
    const fields = actor.attachment as Json[];
    expect(fields.map((f) => f.name)).toEqual(["Website", "Country", "City"]);
    expect(fields[0]?.value).toContain('href="https://www.lnb.lt/"');
    expect((actor.icon as Json).url).toBe("https://www.lnb.lt/logo.png");
    expect((actor.publicKey as Json).publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const multikeys = actor.assertionMethod as Json[];
    expect(multikeys).toHaveLength(2); // RSA and Ed25519
    expect((actor.endpoints as Json).sharedInbox).toBe(new URL("/inbox", instance.url).href);
    for (const name of ["inbox", "outbox", "followers", "following", "featured"]) {
      expect(actor[name], name).toBe(new URL(`/users/lnb/${name}`, instance.url).href);
    }
  });

  it("uses a 2048-bit RSA key, as Mastodon does", async () => {
    const actor = await getJson(new URL("/users/lnb", instance.url));
    const pem = (actor.publicKey as Json).publicKeyPem as string;
    const { createPublicKey } = await import("node:crypto");
    expect(createPublicKey(pem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it("serves an Article Mastodon can show: name, self-sufficient summary, url, tags, image with alt text", async () => {
    const article = await getJson(articleUrl);
    expect(article.type).toBe("Article");
    expect(article.id).toBe(articleUrl);
    expect(article.attributedTo).toBe(new URL("/users/lnb", instance.url).href);
    expect(article.name).toBe("Library Specialist's Space launched");
    expect(article.summary).toBe(
      "<p>A one-stop hub: professional news, research database, trainings calendar and webcasts.</p>",
    );
    expect(article.url).toBe(articleUrl);
    expect(article.contentMap).toMatchObject({ lt: expect.stringContaining("<strong>research</strong>") });
    expect(String(article.content)).not.toContain("<script");
    expect(String(article.content)).toContain("<h2>What is inside</h2>");
    const tags = article.tag as Json[];
    expect(tags.map((t) => t.name)).toEqual(["#bibliotekos", "#LIS"]);
    expect(tags[0]).toMatchObject({ type: "Hashtag", href: new URL("/tags/bibliotekos", instance.url).href });
    expect(article.attachment).toMatchObject({
      type: "Document",
      name: "The portal's start page",
      mediaType: "image/jpeg",
    });
    expect(typeof article.published).toBe("string");
    expect(["as:Public", "https://www.w3.org/ns/activitystreams#Public"]).toContain(article.to);
  });

  it("negotiates content: JSON for ActivityPub clients, HTML with OpenGraph for browsers", async () => {
    const ld = await getJson(
      articleUrl,
      'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    );
    expect(ld.type).toBe("Article");
    const html = await fetch(articleUrl, { headers: { Accept: "text/html" } });
    expect(html.headers.get("content-type")).toMatch(/text\/html/);
    const page = await html.text();
    expect(page).toContain('<meta property="og:title" content="Library Specialist&#39;s Space launched"/>');
    expect(page).toContain('property="og:description"');
    expect(page).toContain(`<link rel="alternate" type="application/activity+json" href="${articleUrl}"/>`);
  });

  it("pages the outbox with the Create of each article", async () => {
    const outbox = await getJson(new URL("/users/lnb/outbox", instance.url));
    expect(outbox.type).toBe("OrderedCollection");
    expect(outbox.totalItems).toBe(1);
    const first = await getJson(String(outbox.first));
    const creates = first.orderedItems as Json[];
    expect(creates[0]).toMatchObject({ type: "Create", id: `${articleUrl}#create` });
    expect((creates[0]?.object as Json | undefined)?.id).toBe(articleUrl);
  });

  it("answers WebFinger for acct:user@host and 404 for unknown users", async () => {
    const host = instance.url.host;
    const found = await fetch(new URL(`/.well-known/webfinger?resource=acct:lnb@${host}`, instance.url));
    expect(found.status).toBe(200);
    const jrd = (await found.json()) as { links: { rel: string; href: string }[] };
    expect(jrd.links.find((l) => l.rel === "self")?.href).toBe(new URL("/users/lnb", instance.url).href);
    const missing = await fetch(new URL(`/.well-known/webfinger?resource=acct:nobody@${host}`, instance.url));
    expect(missing.status).toBe(404);
  });
});
