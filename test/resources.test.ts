import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../server/domain/accounts.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { editPost, publishPost } from "../server/services/publishing.ts";
import { startFileServer } from "./support/file-server.ts";
import { followedLibrary } from "./support/followed-library.ts";
import { type InProcessInstance, runCli } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

/** The outside world's documents: a PDF (named like a page on purpose: the type is read from
 * the bytes), a page, and a link that is gone. */
const startDocumentServer = () =>
  startFileServer({
    "/guidelines.pdf": { type: "application/octet-stream", body: "%PDF-1.7\n% a tiny stand-in\n" },
    "/report": { type: "text/html", body: "<!doctype html><title>Report</title>" },
  });

interface ArticleJson {
  type: string;
  summary: string;
  attachment: {
    type: string;
    name: string;
    value?: string;
    url?: string;
    href?: string;
    mediaType?: string;
  }[];
}

describe("research and methodology resources", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;
  let documents: Awaited<ReturnType<typeof startDocumentServer>>;

  const guideline = (overrides: Partial<NonNullable<PostInput["resource"]>> = {}): PostInput => ({
    type: "resource",
    title: "Methodological guidelines for digital skills training",
    summary: "How libraries can plan, run and evaluate digital skills courses for adults.",
    content: "<p>Chapters on needs analysis, curricula and evaluation.</p>",
    language: "en",
    tags: ["methodology"],
    resource: {
      resourceType: "methodological-guideline",
      authors: ["Rūta Jonaitienė", "Jānis Bērziņš"],
      year: 2025,
      documentUrl: documents.url("/guidelines.pdf"),
      ...overrides,
    },
  });

  beforeAll(async () => {
    documents = await startDocumentServer();
    ({ a, b, library } = await followedLibrary({ username: "lnb", name: "National Library of Lithuania" }));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await new Promise<void>((resolve) => documents?.server.close(() => resolve()));
  });

  it("federates as an Article with the PDF attached and its facts as fields, and arrives with the PDF", async () => {
    const item = await publishPost(a, library, guideline());
    expect(item.details).toMatchObject({ kind: "resource", documentType: "application/pdf" });
    const json = (await (
      await fetch(item.iri, { headers: { Accept: "application/activity+json" } })
    ).json()) as ArticleJson;
    expect(json.type).toBe("Article");
    expect(json.summary).toBe(
      "Methodological guideline · 2025 · Rūta Jonaitienė, Jānis Bērziņš. How libraries can plan, run and evaluate digital skills courses for adults.",
    );
    expect(json.attachment).toEqual([
      {
        type: "Document",
        name: "Methodological guidelines for digital skills training",
        url: documents.url("/guidelines.pdf"),
        mediaType: "application/pdf",
      },
      // Article's context has no schema.org terms, so the property values keep their full IRIs.
      {
        type: "http://schema.org#PropertyValue",
        name: "Type",
        "http://schema.org#value": "Methodological guideline",
      },
      {
        type: "http://schema.org#PropertyValue",
        name: "Authors",
        "http://schema.org#value": "Rūta Jonaitienė, Jānis Bērziņš",
      },
      { type: "http://schema.org#PropertyValue", name: "Year", "http://schema.org#value": "2025" },
    ]);
    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) }),
      { what: "the resource on B" },
    );
    expect(received.attachments).toEqual([
      {
        url: documents.url("/guidelines.pdf"),
        mediaType: "application/pdf",
        name: "Methodological guidelines for digital skills training",
      },
    ]);
    expect(received.summary).toBe(json.summary);

    const page = await (await fetch(item.iri, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain(
      `<a href="${documents.url("/guidelines.pdf")}" type="application/pdf" rel="noopener">Download the PDF</a>`,
    );
    expect(page).toContain('<span class="p-author">Jānis Bērziņš</span>');
  }, 60_000);

  it("links a page as a Link (Mastodon keeps its link card), and keeps the type on edit", async () => {
    const item = await publishPost(
      a,
      library,
      guideline({ resourceType: "report", documentUrl: documents.url("/report") }),
    );
    expect(item.details).toEqual({
      kind: "resource",
      resourceType: "report",
      authors: ["Rūta Jonaitienė", "Jānis Bērziņš"],
      year: 2025,
      documentUrl: documents.url("/report"),
    });
    const json = (await (
      await fetch(item.iri, { headers: { Accept: "application/activity+json" } })
    ).json()) as ArticleJson;
    expect(json.attachment[0]).toEqual({ type: "Link", name: item.title, href: documents.url("/report") });
    const edited = await editPost(
      a,
      item,
      guideline({ resourceType: "report", documentUrl: documents.url("/report"), year: 2024 }),
    );
    expect(edited.summary.startsWith("Report · 2024 · ")).toBe(true);
    await expect(editPost(a, edited, { ...guideline(), type: "article" })).rejects.toThrow(
      /^type: stays resource/,
    );
  });

  it("refuses bad resources with an error naming the field, and stores nothing", async () => {
    const before = (await a.db.query.items.findMany()).length;
    const cases: [Partial<NonNullable<PostInput["resource"]>>, RegExp][] = [
      [{ resourceType: "poem" }, /^resource-type: must be one of research/],
      [{ year: 1200 }, /^year: /],
      [{ year: Number.NaN }, /^year: /],
      [
        { documentUrl: "ftp://files.example/x.pdf" },
        /^document: "ftp:\/\/files\.example\/x\.pdf" is not an http\(s\) URL/,
      ],
      [{ documentUrl: documents.url("/missing.pdf") }, /^document: could not be fetched: .* answered 404/],
      [{ authors: ["x".repeat(201)] }, /^authors: /],
    ];
    for (const [override, message] of cases) {
      await expect(publishPost(a, library, guideline(override)), String(message)).rejects.toThrow(message);
    }
    expect((await a.db.query.items.findMany()).length).toBe(before);
  });

  it("is published in the admin form and from the CLI", async () => {
    await signedIn(a.db, a.url, "admin");
    const editor = await signedIn(a.db, a.url, "editor");
    const form = await editor.page("/admin/accounts/lnb/resources/new");
    expect(form.html).toContain('<select name="resourceType" required="">');
    const created = await editor.postForm("/admin/accounts/lnb/posts", {
      type: "resource",
      title: "Reading habits of teenagers",
      summary: "A national survey.",
      content: "Findings and recommendations.",
      format: "markdown",
      language: "lt",
      resourceType: "research",
      resourceAuthors: "A. Autorė\nB. Autorius",
      resourceYear: "2024",
      resourceDocument: documents.url("/guidelines.pdf"),
    });
    expect(created.status).toBe(303);
    const page = await editor.page(created.headers.get("location") ?? "");
    expect(page.html).toContain("Tyrimas · 2024 · A. Autorė, B. Autorius");

    // The document server is the test's own, on loopback.
    const env = {
      DATABASE_URL: a.database.url,
      DATA_DIR: a.config.dataDir,
      LOG_LEVEL: "warning",
      ALLOW_PRIVATE_ADDRESS: "true",
    };
    const cli = await runCli(
      [
        "posts",
        "create",
        "--type",
        "resource",
        "--account",
        "lnb",
        "--title",
        "Annual report 2025",
        "--summary",
        "Figures and highlights.",
        "--content",
        "<p>Key numbers.</p>",
        "--language",
        "lv",
        "--resource-type",
        "report",
        "--author",
        "Latvijas Nacionālā bibliotēka",
        "--year",
        "2025",
        "--document",
        documents.url("/guidelines.pdf"),
      ],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, cli.stdout.trim()) });
    expect(item?.summary).toBe("Pārskats · 2025 · Latvijas Nacionālā bibliotēka. Figures and highlights.");
    const bad = await runCli(
      [
        "posts",
        "create",
        "--type",
        "resource",
        "--account",
        "lnb",
        "--title",
        "x",
        "--summary",
        "y",
        "--content",
        "z",
        "--resource-type",
        "novel",
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("resource-type: must be one of research");
  }, 60_000);
});
