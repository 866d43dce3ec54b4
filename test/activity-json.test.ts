import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type ImageServer, startImageServer } from "./support/images.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

type Json = Record<string, unknown>;

const AS = { Accept: "application/activity+json" };

/** What Mastodon and other servers read from our actor and article documents (DESIGN.md §4). */
describe("ActivityPub documents", () => {
  let instance: InProcessInstance;
  let images: ImageServer;
  let account: Account;
  let articleUrl: string;
  let oneTagUrl: string;

  async function getJson(url: string | URL, accept = AS.Accept): Promise<Json> {
    const response = await fetch(url, { headers: { Accept: accept } });
    expect(response.status, String(url)).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/(activity|ld)\+json/);
    return (await response.json()) as Json;
  }

  beforeAll(async () => {
    [instance, images] = await Promise.all([startInProcess(), startImageServer()]);
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
    await createAccount(instance.db, {
      username: "alytus",
      name: "Alytus library",
      website: "https://alytus.example/",
    });
    const item = await publishPost(instance, account, {
      title: "Library Specialist's Space launched",
      summary: "A one-stop hub: professional news, research database, trainings calendar and webcasts.",
      content:
        "## What is inside\n\n- professional news\n- a **research** database\n\n<script>alert(1)</script>",
      format: "markdown",
      language: "lt",
      tags: ["bibliotekos", "LIS"],
      imageUrl: images.url("photo.jpg"),
      imageAlt: "The portal's start page",
    });
    articleUrl = item.iri;
    const oneTag = await publishPost(instance, account, {
      title: "Reading week",
      summary: "Events all week in every branch.",
      content: "<p>Join us.</p>",
      language: "en",
      tags: ["reading"],
    });
    oneTagUrl = oneTag.iri;
  });

  afterAll(async () => {
    await Promise.all([instance?.stop(), images?.close()]);
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
    // Country as a name: Mastodon and Misskey show the value as written.
    expect(fields[1]?.value).toBe("Lithuania");
    expect(actor.attributionDomains).toEqual([instance.url.host]);
    expect((actor.icon as Json).url).toBe("https://www.lnb.lt/logo.png");
    expect((actor.publicKey as Json).publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const multikeys = actor.assertionMethod as Json[];
    expect(multikeys).toHaveLength(2); // RSA and Ed25519
    expect((actor.endpoints as Json).sharedInbox).toBe(new URL("/inbox", instance.url).href);
    for (const name of ["inbox", "outbox", "followers", "following", "featured"]) {
      expect(actor[name], name).toBe(new URL(`/users/lnb/${name}`, instance.url).href);
    }
  });

  it("writes a Website field Mastodon can verify: one link whose text is its href", async () => {
    const actor = await getJson(new URL("/users/lnb", instance.url));
    const website = String((actor.attachment as Json[])[0]?.value);
    expect(website).toMatch(/^<a [^>]*href="https:\/\/www\.lnb\.lt\/"[^>]*>.*<\/a>$/);
    expect(website).toContain('rel="me');
    // Mastodon compares the link's text content (tags stripped) with its href.
    expect(website.replace(/<[^>]+>/g, "")).toBe("https://www.lnb.lt/");
  });

  it("keeps attachment and tag arrays even with a single profile field or hashtag", async () => {
    const actor = await getJson(new URL("/users/alytus", instance.url));
    expect(Array.isArray(actor.attachment)).toBe(true);
    expect((actor.attachment as Json[]).map((f) => f.name)).toEqual(["Website"]);
    const article = await getJson(oneTagUrl);
    expect(article.tag).toEqual([
      { type: "Hashtag", href: new URL("/tags/reading", instance.url).href, name: "#reading" },
    ]);
    expect(article.attachment).toBeUndefined();
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
    // Plain text: Misskey shows the summary as a raw-text content warning.
    expect(article.summary).toBe(
      "A one-stop hub: professional news, research database, trainings calendar and webcasts.",
    );
    expect(article.url).toBe(articleUrl);
    expect(article.contentMap).toMatchObject({ lt: expect.stringContaining("<strong>research</strong>") });
    expect(String(article.content)).not.toContain("<script");
    expect(String(article.content)).toContain("<h2>What is inside</h2>");
    const tags = article.tag as Json[];
    expect(tags.map((t) => t.name)).toEqual(["#bibliotekos", "#LIS"]);
    expect(tags[0]).toMatchObject({ type: "Hashtag", href: new URL("/tags/bibliotekos", instance.url).href });
    // Hashtags also as links at the end of the content, where Misskey looks for them.
    expect(String(article.content)).toMatch(
      /<p><a href="[^"]+\/tags\/bibliotekos" class="mention hashtag" rel="tag">#<span>bibliotekos<\/span><\/a> <a [^>]*rel="tag">#<span>LIS<\/span><\/a><\/p>$/,
    );
    // Type and size read from the image itself.
    expect(article.attachment).toEqual([
      {
        type: "Document",
        name: "The portal's start page",
        mediaType: "image/jpeg",
        url: images.url("photo.jpg"),
        width: 64,
        height: 48,
      },
    ]);
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
    // Mastodon's link card: language, author and image.
    expect(page).toMatch(/^<!DOCTYPE html><html lang="lt">/);
    expect(page).toContain('<meta property="og:locale" content="lt"/>');
    expect(page).toContain(`<meta name="fediverse:creator" content="@lnb@${instance.url.host}"/>`);
    expect(page).toContain(`<meta property="og:image" content="${images.url("photo.jpg")}"/>`);
    // The interface around the Lithuanian article stays in the reader's language.
    expect(page).toContain('<header class="site" lang="en">');
  });

  it("falls back to the library's avatar as the card image of an article without one", async () => {
    const page = await (await fetch(oneTagUrl, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain('<meta property="og:image" content="https://www.lnb.lt/logo.png"/>');
    expect(page).toMatch(/<html lang="en">/);
  });

  it("pages the outbox with the Create of each article", async () => {
    const outbox = await getJson(new URL("/users/lnb/outbox", instance.url));
    expect(outbox.type).toBe("OrderedCollection");
    expect(outbox.totalItems).toBe(2);
    const first = await getJson(String(outbox.first));
    const creates = first.orderedItems as Json[];
    expect(creates[1]).toMatchObject({ type: "Create", id: `${articleUrl}#create` });
    expect((creates[1]?.object as Json | undefined)?.id).toBe(articleUrl);
    // Embedded objects are shaped too: a single hashtag stays an array.
    expect(Array.isArray((creates[0]?.object as Json | undefined)?.tag)).toBe(true);
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
