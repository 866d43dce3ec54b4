import { Article, Hashtag, Note } from "@fedify/vocab";
import { LanguageString } from "@fedify/vocab-runtime";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteActors } from "../server/db/schema/index.ts";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { hubKindOf } from "../server/domain/hub-kinds.ts";
import type { Item } from "../server/domain/items.ts";
import type { RemoteActor } from "../server/domain/remote-actors.ts";
import { toInstant } from "../server/federation/temporal.ts";
import { removeRemoteObject, storeRemoteObject } from "../server/ingest/remote-object.ts";
import { editPost, publishPost, removePost } from "../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

interface SearchAnswer {
  items: {
    id: string;
    title: string;
    snippet: string;
    country: string | null;
    kind: string;
    published: string;
  }[];
  facets: Record<string, { value: string; count: number; label?: string | null }[]>;
  total: number;
  total_capped: boolean;
  corrected: string | null;
  next: string | null;
}

/** Received items from a Latvian library that is not on this instance. */
async function remoteLibrary(
  db: InProcessInstance["db"],
  name: string,
  indexable = true,
): Promise<RemoteActor> {
  const id = crypto.randomUUID();
  const [actor] = await db
    .insert(remoteActors)
    .values({
      id,
      iri: `https://${name}.example/users/library`,
      type: "Organization",
      handle: `library@${name}.example`,
      name: `${name} library`,
      inboxUrl: `https://${name}.example/inbox`,
      country: "LV",
      indexable,
    })
    .returning();
  if (!actor) throw new Error("no actor");
  return actor;
}

function latvianArticle(actor: RemoteActor, n: number, title: string, content: string): Article {
  return new Article({
    id: new URL(`${actor.iri}/articles/${n}`),
    attribution: new URL(actor.iri),
    names: [new LanguageString(title, "lv")],
    summaries: [new LanguageString(`Kopsavilkums ${n}.`, "lv")],
    contents: [new LanguageString(content, "lv")],
    published: toInstant(new Date(`2025-0${(n % 9) + 1}-10T10:00:00Z`)),
    tags: [new Hashtag({ name: "#Lasisana", href: new URL(`${actor.iri}/tags/lasisana`) })],
  });
}

describe("search", () => {
  let site: InProcessInstance;
  let vilnius: Account;
  let london: Account;
  let riga: RemoteActor;
  let hidden: RemoteActor;
  const ours: Item[] = [];

  const api = async (query: string) => {
    const response = await fetch(new URL(`/api/v1/search${query}`, site.url));
    return {
      status: response.status,
      body: (await response.json()) as SearchAnswer & { error?: string; field?: string },
    };
  };
  const titles = async (query: string) => (await api(query)).body.items.map((i) => i.title);

  beforeAll(async () => {
    site = await startInProcess();
    vilnius = await createAccount(site.db, {
      username: "vilnius",
      name: "Vilniaus biblioteka",
      country: "LT",
    });
    london = await createAccount(site.db, { username: "london", name: "London Library", country: "GB" });
    const post = (account: Account, input: Parameters<typeof publishPost>[2]) =>
      publishPost(site, account, input).then((item) => {
        ours.push(item);
        return item;
      });
    await post(vilnius, {
      title: "Skaitymo skatinimas bibliotekose",
      content: "<p>Vaikai skaito kartu su tėvais kiekvieną šeštadienį.</p>",
      language: "lt",
      tags: ["Skaitymas"],
    });
    await post(vilnius, {
      title: "Naujas renginys vaikams",
      content: "<p>Kviečiame į biblioteką: kūrybinės dirbtuvės ir pasakos.</p>",
      language: "lt",
      tags: ["Vaikai"],
    });
    await post(vilnius, {
      type: "practice",
      title: "Senjorų skaitmeninis raštingumas",
      content: "<p>Kursai senjorams apie el. paslaugas.</p>",
      language: "lt",
      practice: {
        scope: "regional",
        audiences: ["seniors"],
        skillLevel: "basic",
        countries: ["LT"],
        partners: [],
      },
    });
    await post(london, {
      title: "Running reading clubs",
      content: "<p>How libraries run reading clubs for teenagers.</p>",
      language: "en",
      tags: ["Reading"],
    });
    await post(london, {
      title: "Annual report",
      content: "<p>Our clubs: reading for everyone, every week, and the library running them.</p>",
      language: "en",
    });
    riga = await remoteLibrary(site.db, "riga");
    hidden = await remoteLibrary(site.db, "hidden", false);
    await storeRemoteObject(
      site.db,
      riga,
      latvianArticle(riga, 1, "Bibliotēka pilsētas centrā", "<p>Lasīšanas pēcpusdienas.</p>"),
    );
    await storeRemoteObject(
      site.db,
      riga,
      latvianArticle(riga, 2, "Jaunas grāmatas", "<p>Šomēnes bibliotēkā 40 jaunas grāmatas.</p>"),
    );
    await storeRemoteObject(
      site.db,
      hidden,
      latvianArticle(hidden, 3, "Slēpta bibliotēka", "<p>Nav meklējama.</p>"),
    );
  });

  afterAll(async () => {
    await site?.stop();
  });

  it("finds Lithuanian inflections, Latvian without diacritics, English stems, and ranks a title match first", async () => {
    // biblioteka → bibliotekose (lt stemmer), bibliotēka (lv, unaccented).
    const found = await titles("?q=biblioteka");
    expect(found).toEqual(
      expect.arrayContaining([
        "Skaitymo skatinimas bibliotekose",
        "Bibliotēka pilsētas centrā",
        "Jaunas grāmatas",
      ]),
    );
    expect(found).not.toContain("Slēpta bibliotēka");
    expect(await titles("?q=bibliotēkā")).toContain("Bibliotēka pilsētas centrā");
    // English: "running" ~ "run"; the title match ranks above the content match.
    const english = await titles("?q=running&language=en");
    expect(english).toEqual(["Running reading clubs", "Annual report"]);
    const { body } = await api("?q=biblioteka");
    expect(body.items.find((i) => i.title === "Bibliotēka pilsētas centrā")?.snippet ?? "").not.toContain(
      "<script",
    );
    expect(body.items.some((i) => i.snippet.includes("<mark>"))).toBe(true);
  });

  it("counts facets and filters by each of them", async () => {
    const { body } = await api("");
    expect(body.total).toBe(7);
    const count = (facet: string, value: string) => body.facets[facet]?.find((f) => f.value === value)?.count;
    expect(count("country", "LT")).toBe(3);
    expect(count("country", "LV")).toBe(2);
    expect(count("country", "GB")).toBe(2);
    expect(count("type", "practice")).toBe(1);
    expect(count("type", "news")).toBe(6);
    expect(count("language", "lv")).toBe(2);
    expect(count("tag", "lasisana")).toBe(2);
    expect(count("audience", "seniors")).toBe(1);
    expect(count("skill", "basic")).toBe(1);
    expect(count("year", "2025")).toBe(2);
    expect(body.facets.library?.find((f) => f.value === vilnius.id)).toMatchObject({
      count: 3,
      label: "Vilniaus biblioteka",
    });
    expect(body.facets.library?.some((f) => f.value === hidden.id)).toBe(false);

    expect((await api("?country=lv")).body.total).toBe(2);
    expect((await api(`?library=${london.id}`)).body.total).toBe(2);
    expect(await titles("?type=practice")).toEqual(["Senjorų skaitmeninis raštingumas"]);
    expect(await titles("?skill=basic&audience=seniors")).toEqual(["Senjorų skaitmeninis raštingumas"]);
    expect((await api("?tag=LASISANA")).body.total).toBe(2);
    expect((await api("?language=lt")).body.total).toBe(3);
    expect((await api("?from=2025&to=2025-01")).body.total).toBe(0);
    expect((await api("?from=2025-01-01&to=2025")).body.total).toBe(2);
    expect((await api("?q=bibliotēka&country=LV")).body.total).toBe(2);
    // With words, the country, type and language filters are matched as lexemes of the text.
    const [lt, lv, ee] = await Promise.all(["LT", "LV", "EE"].map((c) => api(`?q=biblioteka&country=${c}`)));
    const ltCount = (await api("?q=biblioteka")).body.facets.country?.find((f) => f.value === "LT")?.count;
    expect(ltCount).toBeGreaterThan(0);
    expect([lt?.body.total, lv?.body.total, ee?.body.total]).toEqual([ltCount, 2, 0]);
    expect(await titles("?q=senjor%C5%B3&type=practice")).toEqual(["Senjorų skaitmeninis raštingumas"]);
    expect((await api("?q=senjor%C5%B3&type=event")).body.total).toBe(0);
    expect((await api("?q=biblioteka&language=lv")).body.total).toBe(2);
  });

  it("sorts by date and pages without duplicates or gaps", async () => {
    const all = (await api("?sort=date&limit=100")).body.items;
    const dates = all.map((i) => i.published);
    expect([...dates].sort().reverse()).toEqual(dates);
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor != null) {
      const page: SearchAnswer = (await api(`?sort=date&limit=2${cursor ? `&cursor=${cursor}` : ""}`)).body;
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next;
    }
    expect(seen).toEqual(all.map((i) => i.id));
    // By relevance too.
    const ranked = (await api("?q=reading&limit=100")).body.items.map((i) => i.id);
    const paged: string[] = [];
    cursor = "";
    while (cursor != null) {
      const page: SearchAnswer = (await api(`?q=reading&limit=1${cursor ? `&cursor=${cursor}` : ""}`)).body;
      paged.push(...page.items.map((i) => i.id));
      cursor = page.next;
    }
    expect(paged).toEqual(ranked);
    expect(ranked.length).toBe(2);
  });

  it("still finds a mistyped word through the trigram dictionary", async () => {
    const { body } = await api("?q=bibloteka");
    expect(body.corrected).toBeTruthy();
    expect(body.items.length).toBeGreaterThan(0);
  });

  it("follows updates and deletes in the same transaction, and an actor's consent", async () => {
    const club = ours.find((i) => i.title === "Running reading clubs");
    if (!club) throw new Error("no club");
    await editPost(site, club, {
      title: "Chess evenings",
      content: "<p>Chess for everyone.</p>",
      language: "en",
    });
    expect(await titles("?q=chess")).toEqual(["Chess evenings"]);
    expect(await titles("?q=teenagers")).toEqual([]);
    const item = ours.find((i) => i.title === "Naujas renginys vaikams");
    if (!item) throw new Error("no item");
    // removePost marks it deleted in its transaction; the trigger removes the entry in that one.
    await removePost(site, item);
    expect(await titles("?q=dirbtuvės")).toEqual([]);
    // Received: a Delete removes it.
    await removeRemoteObject(site.db, riga, `${riga.iri}/articles/2`);
    expect(await titles("?q=grāmatas")).toEqual([]);
    // Consent flips both ways.
    expect(await titles("?q=slēpta")).toEqual([]);
    await site.db.update(remoteActors).set({ indexable: true }).where(eq(remoteActors.id, hidden.id));
    expect(await titles("?q=slēpta")).toEqual(["Slēpta bibliotēka"]);
    await site.db.update(remoteActors).set({ discoverable: false }).where(eq(remoteActors.id, hidden.id));
    expect(await titles("?q=slēpta")).toEqual([]);
    // A reply is never a result.
    const reply = new Note({
      id: new URL(`${riga.iri}/notes/9`),
      attribution: new URL(riga.iri),
      contents: [new LanguageString("Atbilde par bibliotēku", "lv")],
      replyTarget: new URL(club.iri),
    });
    await storeRemoteObject(site.db, riga, reply);
    expect(await titles("?q=atbilde")).toEqual([]);
  });

  it("answers 400 naming every bad parameter", async () => {
    const bad: [string, string][] = [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=x", "limit"],
      ["country=LTU", "country"],
      ["library=vilnius", "library"],
      ["type=poem", "type"],
      ["language=lithuanian", "language"],
      ["skill=expert", "skill"],
      ["from=2025-13", "from"],
      ["to=yesterday", "to"],
      ["from=2026&to=2025", "to"],
      ["sort=random", "sort"],
      ["cursor=abc", "cursor"],
      [`q=${"a".repeat(1001)}`, "q"],
      [`tag=${"t".repeat(201)}`, "tag"],
    ];
    for (const [query, field] of bad) {
      const { status, body } = await api(`?${query}`);
      expect(status, query).toBe(400);
      expect(body.field, query).toBe(field);
      expect(body.error).toContain(field);
    }
    // A date cursor is no relevance cursor.
    const dated = (await api("?sort=date&limit=1")).body.next ?? "";
    expect((await api(`?q=reading&cursor=${dated}`)).status).toBe(400);
  });

  it("never fails on any query text", async () => {
    const hostile = [
      '"',
      "'",
      "&|!:*()<->",
      "a <-> b",
      "!!!",
      "(((",
      "or",
      "-",
      "\u0000",
      "\ud800",
      "📚 bibliotēka 🎉",
      "x".repeat(1000),
      "a & b | !c:*",
    ];
    for (const q of hostile) {
      const response = await fetch(new URL(`/api/v1/search?${new URLSearchParams({ q })}`, site.url));
      expect(response.status, JSON.stringify(q)).toBe(200);
    }
    // Bytes no browser sends: NUL, a lone surrogate in UTF-8, broken UTF-8, a bare percent.
    for (const raw of ["%00", "%ED%A0%80", "%FF%FE", "%", "%E2%82"]) {
      const response = await fetch(new URL(`/api/v1/search?q=${raw}&sort=date`, site.url));
      expect(response.status, raw).toBe(200);
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300, unit: "binary" }), async (q) => {
        const response = await fetch(new URL(`/api/v1/search?${new URLSearchParams({ q })}`, site.url));
        return response.status === 200 || (q.length > 1000 && response.status === 400);
      }),
      { numRuns: 150 },
    );
  });

  it("serves the page without JavaScript, and every search as RSS and Atom", async () => {
    const page = await fetch(new URL("/search?q=biblioteka&lang=lt", site.url));
    const html = await page.text();
    expect(page.status).toBe(200);
    // One same-origin enhancement script (search as you type); no inline script, the form a plain GET.
    expect([...html.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/search.js" defer="">',
    ]);
    expect(html).toContain('<form method="get" action="/search"');
    expect(html).toContain('<label for="search-q">');
    expect(html).toContain("<main");
    expect(html).toMatch(
      /<link rel="alternate" type="application\/rss\+xml"[^>]+href="[^"]*\/search\.rss\?q=biblioteka/,
    );
    expect(html).toContain("/search?q=biblioteka&amp;country=LV");
    expect(html).toContain("Paieška");
    const marked = await (await fetch(new URL("/search?q=p%C4%93cpusdienas", site.url))).text();
    expect(marked).toContain("<mark>pēcpusdienas</mark>");
    const parser = new Parser();
    const rss = await parser.parseString(
      await (await fetch(new URL("/search.rss?q=biblioteka", site.url))).text(),
    );
    expect(rss.items.map((i) => i.title)).toContain("Bibliotēka pilsētas centrā");
    const atomResponse = await fetch(new URL("/search.atom?q=biblioteka&country=LV", site.url));
    expect(atomResponse.headers.get("content-type")).toContain("application/atom+xml");
    const atom = await parser.parseString(await atomResponse.text());
    expect(atom.items.map((i) => i.title)).toEqual(["Bibliotēka pilsētas centrā"]);
    expect((await fetch(new URL("/search.rss?limit=0", site.url))).status).toBe(400);
  });

  it("maps types to hub kinds in TypeScript as the trigger does in SQL", async () => {
    const rows = await site.database.sql<{ type: string; kind: string }[]>`
      SELECT t AS type, search_kind(t, NULL) AS kind FROM unnest(ARRAY['Article','Note','Page','Video','Event','Document','Question','Image']) t`;
    for (const row of rows) expect(hubKindOf({ type: row.type, details: null })).toBe(row.kind);
  });
});
