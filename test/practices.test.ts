import { preloadedContexts } from "@fedify/vocab-runtime";
import jsonld from "@fedify/vocab-runtime/jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../server/domain/accounts.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { LIBRARY_NS, practiceFromTerms, readLibraryTerms } from "../server/federation/library-terms.ts";
import { editPost, publishPost, removePost } from "../server/services/publishing.ts";
import { followedLibrary } from "./support/followed-library.ts";
import { type InProcessInstance, runCli } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

/** Seed 001: the BIBLIO project's record, as a Latvian library would publish it. */
const biblio = (overrides: Partial<NonNullable<PostInput["practice"]>> = {}): PostInput => ({
  type: "practice",
  title: "BIBLIO: digital skills for librarians",
  summary: "More than 40 librarians from all over Latvia develop digital and entrepreneurial skills.",
  content:
    "<p>The specialisation course includes 240 hours of blended training, of which 40 hours are for project-based learning.</p>",
  language: "en",
  tags: ["DigitalBiblio", "digitalskills"],
  practice: {
    scope: "international",
    countries: ["LV", "BG", "GR", "IT"],
    audiences: ["Library staff", "Digital skills for all"],
    skillLevel: "intermediate",
    fundingType: "public",
    funder: "Erasmus+",
    partners: ["Data Media Group", "Culture Information Systems Centre"],
    periodStart: "2022-02",
    periodEnd: "2022-12",
    reach: "40 librarians from 28 libraries",
    results:
      "Project ideas on digital safety, digitisation and social media.\nA map of participating libraries.",
    contact: "biblio@example.org",
    ...overrides,
  },
});

const SUMMARY_FACTS =
  "Good practice · International · Latvia, Bulgaria, Greece, Italy · Public funding · 2022-02 – 2022-12 · For: Library staff, Digital skills for all";

type JsonLdLoader = NonNullable<Parameters<typeof jsonld.expand>[1]>["documentLoader"];

/** The contexts Fedify ships with, and nothing from the network. */
async function preloadedOnly(url: string) {
  const document = preloadedContexts[url];
  if (!document) throw new Error(`no fetching in this test: ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

interface PracticeJson {
  "@context": unknown[];
  type: string;
  summary: string;
  contentKind: string;
  geographicScope: string;
  targetAudience: string[];
  country: string[];
  attachment: { type: string; name: string; "http://schema.org#value"?: string }[];
}

async function objectJson(iri: string): Promise<PracticeJson> {
  const response = await fetch(iri, { headers: { Accept: "application/activity+json" } });
  expect(response.status).toBe(200);
  return (await response.json()) as PracticeJson;
}

describe("good-practice records", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;

  beforeAll(async () => {
    ({ a, b, library } = await followedLibrary({ username: "lnb", name: "National Library of Latvia" }));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("federates the metadata as fields and as our JSON-LD terms; B stores every field, then the update and the delete", async () => {
    const item = await publishPost(a, library, biblio());
    const json = await objectJson(item.iri);
    expect(json.type).toBe("Article");
    expect(json.summary).toBe(`${SUMMARY_FACTS}. ${biblio().summary}`);
    // The terms under our context, compact as the object is served…
    expect(json["@context"]).toContainEqual(expect.objectContaining({ bl: LIBRARY_NS }));
    expect(json).toMatchObject({
      contentKind: "practice",
      geographicScope: "international",
      targetAudience: ["Library staff", "Digital skills for all"],
      country: ["LV", "BG", "GR", "IT"],
    });
    // …and what a JSON-LD processor reads from them after expansion.
    const [expanded] = (await jsonld.expand(json as unknown as Parameters<typeof jsonld.expand>[0], {
      documentLoader: preloadedOnly as unknown as JsonLdLoader,
    })) as Record<string, { "@value": string }[]>[];
    expect(expanded?.[`${LIBRARY_NS}skillLevel`]).toEqual([{ "@value": "intermediate" }]);
    expect(expanded?.[`${LIBRARY_NS}partner`]?.map((v) => v["@value"])).toEqual([
      "Data Media Group",
      "Culture Information Systems Centre",
    ]);
    // People read them as fields.
    expect(json.attachment.map((f) => [f.name, f["http://schema.org#value"]])).toContainEqual([
      "Funding",
      "Public funding: Erasmus+",
    ]);

    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) }),
      { what: "the good practice on B" },
    );
    expect(received.details).toEqual(item.details);
    expect(received.tags).toEqual(["DigitalBiblio", "digitalskills"]);
    expect(received.summary).toBe(json.summary);

    const edited = await editPost(
      a,
      item,
      biblio({ scope: "national", countries: ["LV"], periodEnd: undefined }),
    );
    expect(
      edited.summary.startsWith("Good practice · National · Latvia · Public funding · 2022-02 – · "),
    ).toBe(true);
    await waitFor(
      async () => {
        const row = await b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) });
        return row?.details?.kind === "practice" && row.details.scope === "national" ? row : null;
      },
      { what: "the update on B" },
    );
    await removePost(a, edited);
    await waitFor(
      async () => !(await b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) })),
      { what: "the delete on B" },
    );
  }, 60_000);

  it("shows the metadata on its page, translated", async () => {
    const item = await publishPost(a, library, biblio());
    const page = await (
      await fetch(item.iri, { headers: { Accept: "text/html", "Accept-Language": "lt" } })
    ).text();
    expect(page).toContain("Gerosios patirties duomenys");
    expect(page).toContain("<dd>Tarptautinė</dd>");
    expect(page).toContain("<dd>Latvija, Bulgarija, Graikija, Italija</dd>");
    expect(page).toContain('<p class="pre-line">Project ideas on digital safety');
  });

  it("refuses bad metadata with an error naming the field, and stores nothing", async () => {
    const before = (await a.db.query.items.findMany()).length;
    const cases: [Partial<NonNullable<PostInput["practice"]>>, RegExp][] = [
      [{ scope: "" }, /^scope: is required/],
      [{ scope: "galactic" }, /^scope: must be one of local, regional, national, international/],
      [{ countries: ["Latvia"] }, /^countries: "LATVIA" is not a two-letter country code/],
      [{ countries: ["XX"] }, /^countries: "XX" is not a two-letter country code/],
      [{ skillLevel: "guru" }, /^skill-level: must be one of basic/],
      [{ fundingType: "crypto" }, /^funding: must be one of public/],
      [{ periodStart: "2022-13" }, /^period-start: "2022-13" is not a month or a date/],
      [{ periodStart: "2023-01", periodEnd: "2022-12" }, /^period-end: must not be before/],
      [{ partners: Array.from({ length: 21 }, (_, i) => `Partner ${i}`) }, /^partners: at most 20/],
      [{ reach: "x".repeat(201) }, /^reach: must be at most 200/],
      [{ results: "x".repeat(2001) }, /^results: must be at most 2000/],
    ];
    for (const [override, message] of cases) {
      await expect(publishPost(a, library, biblio(override)), String(message)).rejects.toThrow(message);
    }
    expect((await a.db.query.items.findMany()).length).toBe(before);
  });

  it("keeps a received object with hostile or broken terms as a plain article", async () => {
    const id = "https://library.example/articles/1";
    const doc = (terms: Record<string, unknown>) => ({
      "@context": ["https://www.w3.org/ns/activitystreams", { bl: LIBRARY_NS, scope: "bl:geographicScope" }],
      id,
      type: "Article",
      ...terms,
    });
    const loader = preloadedOnly;
    const good = await readLibraryTerms(doc({ "bl:contentKind": "practice", scope: "local" }), id, loader);
    expect(practiceFromTerms(good)).toEqual({
      kind: "practice",
      scope: "local",
      audiences: [],
      countries: [],
      partners: [],
    });
    // Wrong values, objects instead of strings, and floods are not metadata.
    const bad = await readLibraryTerms(
      doc({
        "bl:contentKind": "practice",
        scope: "everywhere",
        "bl:country": Array.from({ length: 5000 }, () => "LV"),
        "bl:targetAudience": { "@id": "https://evil.example/" },
      }),
      id,
      loader,
    );
    expect(bad.country).toHaveLength(20);
    expect(bad.targetAudience).toBeUndefined();
    expect(practiceFromTerms(bad)).toBeNull();
    // A remote context we cannot load is no error: the object simply has no terms.
    expect(
      await readLibraryTerms(
        { "@context": "https://evil.example/ctx", id, [`${LIBRARY_NS}reach`]: "x" },
        id,
        loader,
      ),
    ).toEqual({});
  });

  it("is published in the admin form and from the CLI", async () => {
    await signedIn(a.db, a.url, "admin");
    const editor = await signedIn(a.db, a.url, "editor");
    const form = await editor.page("/admin/accounts/lnb/practices/new");
    expect(form.html).toContain('<select name="practiceScope" required="">');
    const fields = {
      type: "practice",
      title: "Reading clubs in rural libraries",
      summary: "Monthly reading clubs for seniors.",
      content: "Volunteers lead the meetings.",
      format: "markdown",
      language: "lt",
      practiceScope: "regional",
      practiceCountries: "lt",
      practiceAudiences: "Senjorai\nSavanoriai",
      practiceFunding: "mixed",
    };
    const bad = await editor.postForm("/admin/accounts/lnb/posts", {
      ...fields,
      practicePeriodStart: "spring",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("period-start: &quot;spring&quot; is not a month or a date");
    const created = await editor.postForm("/admin/accounts/lnb/posts", fields);
    expect(created.status).toBe(303);
    const page = await editor.page(created.headers.get("location") ?? "");
    expect(page.html).toContain(
      "Geroji patirtis · Regioninė · Lietuva · Viešasis ir privatus finansavimas · Kam: Senjorai, Savanoriai",
    );

    const env = { DATABASE_URL: a.database.url, DATA_DIR: a.config.dataDir, LOG_LEVEL: "warning" };
    const cli = await runCli(
      [
        "posts",
        "create",
        "--type",
        "practice",
        "--account",
        "lnb",
        "--title",
        "Bibliotēku digitālās prasmes",
        "--summary",
        "Apmācības bibliotekāriem.",
        "--content",
        "<p>240 stundas.</p>",
        "--language",
        "lv",
        "--scope",
        "national",
        "--country",
        "LV",
        "--target-audience",
        "Bibliotekāri",
        "--skill-level",
        "basic",
      ],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, cli.stdout.trim()) });
    expect(item?.summary).toBe(
      "Labā prakse · Nacionāla · Latvija · Kam: Bibliotekāri. Apmācības bibliotekāriem.",
    );
    expect(item?.details).toMatchObject({ kind: "practice", skillLevel: "basic" });
  }, 60_000);
});
