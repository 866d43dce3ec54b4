import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../server/domain/accounts.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { publishPost } from "../server/services/publishing.ts";
import { followedLibrary } from "./support/followed-library.ts";
import { type InProcessInstance, runCli } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

const YEAR = new Date().getUTCFullYear() + 1;
const AS_JSON = { Accept: "application/activity+json" };

/** A training event of seed 000's calendar, written in Lithuanian with Latvian and English versions. */
const seminar = (overrides: Partial<PostInput> = {}): PostInput => ({
  type: "event",
  title: "Skaitmeninio raštingumo seminaras",
  summary: "Praktinis seminaras bibliotekininkams.",
  content: "<p>Paieškos strategijos ir šaltinių vertinimas.</p>",
  language: "lt",
  event: {
    start: `${YEAR}-12-10T10:00`,
    timeZone: "Europe/Vilnius",
    onlineUrl: "https://meet.example/seminar",
  },
  translations: [
    {
      language: "lv",
      title: "Digitālās pratības seminārs",
      summary: "Praktisks seminārs bibliotekāriem.",
      content: "<p>Meklēšanas stratēģijas un avotu izvērtēšana.</p>",
    },
    {
      language: "en",
      title: "Digital literacy seminar",
      content: "<p>Search strategies and evaluating sources. A hands-on session.</p>",
    },
  ],
  ...overrides,
});

interface MultilingualJson {
  name: string;
  nameMap: Record<string, string>;
  summaryMap: Record<string, string>;
  contentMap: Record<string, string>;
}

describe("multilingual items", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;

  beforeAll(async () => {
    ({ a, b, library } = await followedLibrary({
      username: "kaunas",
      name: "Kauno apskrities viešoji biblioteka",
    }));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("federates every version in nameMap, summaryMap and contentMap, each summary with the facts in its language", async () => {
    const item = await publishPost(a, library, seminar());
    const json = (await (await fetch(item.iri, { headers: AS_JSON })).json()) as MultilingualJson;
    expect(json.name).toBe("Skaitmeninio raštingumo seminaras");
    expect(json.nameMap).toEqual({
      lt: "Skaitmeninio raštingumo seminaras",
      lv: "Digitālās pratības seminārs",
      en: "Digital literacy seminar",
    });
    expect(json.summaryMap.en).toBe(
      `10 December ${YEAR}, 10:00 GMT+2 (Europe/Vilnius) · Online. Search strategies and evaluating sources. A hands-on session.`,
    );
    expect(json.summaryMap.lv).toMatch(/ · Tiešsaistē\. Praktisks seminārs bibliotekāriem\.$/);
    expect(json.summaryMap.lt).toMatch(/ · Nuotoliniu būdu\. Praktinis seminaras bibliotekininkams\.$/);
    expect(json.contentMap.lv).toBe("<p>Meklēšanas stratēģijas un avotu izvērtēšana.</p>");

    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) }),
      { what: "the event on B" },
    );
    expect(received.language).toBe("lt");
    expect(received.translations).toEqual({
      lv: { title: "Digitālās pratības seminārs", summary: json.summaryMap.lv, content: json.contentMap.lv },
      en: { title: "Digital literacy seminar", summary: json.summaryMap.en, content: json.contentMap.en },
    });
  }, 60_000);

  it("shows the reader's language, with a switch and hreflang alternates", async () => {
    const item = await publishPost(a, library, seminar());
    const latvian = await (
      await fetch(item.iri, { headers: { Accept: "text/html", "Accept-Language": "lv" } })
    ).text();
    expect(latvian).toContain('<html lang="lv">');
    expect(latvian).toContain('<h1 class="p-name">Digitālās pratības seminārs</h1>');
    expect(latvian).toContain("<p>Meklēšanas stratēģijas un avotu izvērtēšana.</p>");
    expect(latvian).toContain('<a href="?lang=lt" hreflang="lt" lang="lt">lietuvių</a>');
    expect(latvian).toContain(`<link rel="alternate" hreflang="en" href="${item.iri}?lang=en"/>`);
    const english = await (await fetch(`${item.iri}?lang=en`, { headers: { Accept: "text/html" } })).text();
    expect(english).toContain('<h1 class="p-name">Digital literacy seminar</h1>');
    // A language it has no version in: its own.
    const estonian = await (await fetch(`${item.iri}?lang=et`, { headers: { Accept: "text/html" } })).text();
    expect(estonian).toContain('<h1 class="p-name">Skaitmeninio raštingumo seminaras</h1>');
  });

  it("refuses versions that break the rules, naming the version's field, and stores nothing", async () => {
    const before = (await a.db.query.items.findMany()).length;
    const lv = { language: "lv", title: "Versija", content: "<p>Teksts.</p>" };
    const cases: [Partial<PostInput>, RegExp][] = [
      [
        { language: undefined, title: "Seminaras", content: "<p>Tekstas.</p>", translations: [] },
        /^language: is required: the text is too short/,
      ],
      [{ translations: [{ ...lv, language: "lt" }] }, /^lt title: lt is the post's own language/],
      [{ translations: [lv, lv] }, /^lv title: lv is given twice/],
      [{ translations: [{ ...lv, title: "" }] }, /^lv title: must not be empty/],
      [{ translations: [{ ...lv, content: "<script>alert(1)</script>" }] }, /^lv content: has no text left/],
      [{ translations: [{ ...lv, language: "Latvian" }] }, /^translation language: must be a language code/],
      [{ translations: [{ ...lv, summary: "x".repeat(600) }] }, /^lv summary: must be at most/],
    ];
    for (const [override, message] of cases) {
      await expect(publishPost(a, library, seminar(override)), String(message)).rejects.toThrow(message);
    }
    expect((await a.db.query.items.findMany()).length).toBe(before);
  });

  it("adds and removes a version from the CLI (followers get the Update), and edits versions in the form", async () => {
    const item = await publishPost(a, library, seminar({ translations: [] }));
    const env = { DATABASE_URL: a.database.url, DATA_DIR: a.config.dataDir, LOG_LEVEL: "warning" };
    const added = await runCli(
      [
        "posts",
        "translate",
        item.iri,
        "--language",
        "lv",
        "--title",
        "Seminārs",
        "--content",
        "<p>Teksts.</p>",
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    await waitFor(
      async () => {
        const row = await b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) });
        return row?.translations.lv?.title === "Seminārs" ? row : null;
      },
      { what: "the Latvian version on B" },
    );
    const removed = await runCli(["posts", "translate", item.iri, "--language", "lv", "--remove"], env);
    expect(removed.code, removed.stderr).toBe(0);
    const row = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) });
    expect(row?.translations).toEqual({});
    const missing = await runCli(["posts", "translate", item.iri, "--language", "en", "--remove"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("it has no version in en");

    await signedIn(a.db, a.url, "admin");
    const editor = await signedIn(a.db, a.url, "editor");
    const form = await editor.page("/admin/accounts/kaunas/posts/new");
    expect(form.html).toContain(`name="tr.lv.title"`);
    const created = await editor.postForm("/admin/accounts/kaunas/posts", {
      type: "article",
      title: "Naujienos",
      summary: "Bibliotekos naujienos.",
      content: "Tekstas.",
      format: "markdown",
      language: "lt",
      "tr.en.title": "News",
      "tr.en.summary": "",
      "tr.en.content": "The **library's** news.",
      "tr.lv.title": "",
      "tr.lv.summary": "",
      "tr.lv.content": "",
    });
    expect(created.status).toBe(303);
    const path = created.headers.get("location") ?? "";
    const stored = await a.db.query.items.findFirst({
      where: (t, { eq }) => eq(t.url, new URL(path, a.url).href),
    });
    expect(stored?.translations).toEqual({
      en: {
        title: "News",
        summary: "The library's news.",
        content: "<p>The <strong>library's</strong> news.</p>",
        source: "The **library's** news.",
      },
    });
    const edit = await editor.page(`/admin/accounts/kaunas/posts/${stored?.id}/edit`);
    expect(edit.html).toContain('name="tr.en.title" maxlength="250" value="News"');
  }, 60_000);
});
