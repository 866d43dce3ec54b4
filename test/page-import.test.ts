import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { findDraft, listDrafts } from "../server/domain/drafts.ts";
import { findItemByIri } from "../server/domain/items.ts";
import { publishDraft } from "../server/services/drafts.ts";
import { importPageAs } from "../server/services/imports.ts";
import { type ImportSite, startImportSite } from "./support/import-site.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** Import from a web page (issue 8): Readability over linkedom, the one fetcher and sanitizer, drafts. */
describe("import from a web page", () => {
  let instance: InProcessInstance;
  let site: ImportSite;
  let library: Account;

  const counts = async () => {
    const [row] = await instance.database.sql<{ drafts: number; items: number; imports: number }[]>`
      SELECT (SELECT count(*)::int FROM drafts) AS drafts, (SELECT count(*)::int FROM items) AS items,
             (SELECT count(*)::int FROM imported_entries) AS imports`;
    return row;
  };

  beforeAll(async () => {
    [instance, site] = await Promise.all([startInProcess(), startImportSite()]);
    library = await createAccount(instance.db, {
      username: "kaunas",
      name: "Kauno apskrities viešoji biblioteka",
    });
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), site?.close()]);
  });

  it("extracts the article, not the navigation, ads or footer, into a draft keeping its source", async () => {
    const url = site.url("/naujienos/vasaros-skaitymo-issukis");
    const result = await importPageAs(instance, library, url);
    if (result.kind !== "draft") throw new Error("expected a draft");
    const { draft } = result;
    expect(draft.sourceUrl).toBe(url);
    expect(draft.importKey).toBe(url); // the canonical link, made absolute
    expect(draft.sourcePublished?.toISOString()).toBe("2026-06-01T06:30:00.000Z");
    const input = draft.input;
    expect(input.title).toBe("Prasideda vasaros skaitymo iššūkis");
    expect(input.summary).toBe(
      "Vasaros skaitymo iššūkis kviečia vaikus perskaityti dešimt knygų per vasarą.",
    );
    expect(input.language).toBe("lt");
    expect(input.format).toBe("html");
    expect(input.imageUrl).toBe(site.url("/uploads/2026/06/issukis.jpg"));
    expect(input.imageAlt).toBe("Vaikai skaito knygas bibliotekos kieme");
    expect(input.content).toContain("Iššūkis vyksta jau penktus metus.");
    expect(input.content).toContain("— Rasa Petrauskienė"); // the byline
    // Relative links and images resolved against the page; handlers and scripts gone.
    expect(input.content).toContain(`href="${site.url("/renginiai/skaitymo-maratonas")}"`);
    expect(input.content).not.toMatch(/onclick|<script|tracking/);
    for (const chrome of ["Apie mus", "Reklama", "slapukus", "Privatumo politika", "Populiariausios"]) {
      expect(input.content, chrome).not.toContain(chrome);
    }
    // A draft is not an item: nothing is published or federated.
    expect(await counts()).toMatchObject({ drafts: 1, items: 0 });
  });

  it("opens the existing draft when the same page is imported again", async () => {
    const again = await importPageAs(instance, library, site.url("/naujienos/vasaros-skaitymo-issukis"));
    expect(again).toMatchObject({ kind: "draft", existing: true });
    expect(await listDrafts(instance.db, library.id)).toHaveLength(1);
  });

  it("refuses each bad address with an error naming the problem, and stores nothing", async () => {
    const before = await counts();
    const strict = { ...instance, config: { ...instance.config, allowPrivateAddress: false } };
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [
        "not HTML",
        () => importPageAs(instance, library, site.url("/ataskaita.pdf")),
        /^url: is not a web page: .*ataskaita\.pdf is application\/pdf$/,
      ],
      [
        "404",
        () => importPageAs(instance, library, site.url("/naujienos/nera")),
        /^url: .*\/naujienos\/nera answered 404 Not Found$/,
      ],
      [
        "six redirects",
        () => importPageAs(instance, library, site.url("/hop/5")),
        /^url: could not be fetched: too many redirects \(more than 5\)$/,
      ],
      [
        "over the size cap",
        () => importPageAs(instance, library, site.url("/huge")),
        /^url: could not be fetched: response larger than 3145728 bytes$/,
      ],
      [
        "a private address",
        () => importPageAs(strict, library, site.url("/naujienos/vasaros-skaitymo-issukis")),
        /^url: could not be fetched: refusing private address 127\.0\.0\.1$/,
      ],
      [
        "no article",
        () => importPageAs(instance, library, site.url("/naujienos")),
        /^url: no article found on .*\/naujienos/,
      ],
      [
        "not a URL",
        () => importPageAs(instance, library, "javascript:alert(1)"),
        /^url: could not be fetched: refusing scheme javascript:/,
      ],
    ];
    for (const [name, attempt, message] of cases) {
      await expect(attempt(), name).rejects.toThrow(message);
    }
    expect(await counts()).toEqual(before);
    // Five redirects are fine.
    const fine = await importPageAs(instance, library, site.url("/hop/4"));
    expect(fine).toMatchObject({ kind: "draft", existing: true });
  });

  it("publishes a draft once: the post is created and the draft deleted in one transaction", async () => {
    const [draft] = await listDrafts(instance.db, library.id);
    if (!draft) throw new Error("no draft");
    // The lead image is not served: publishing fails, and the draft stays as it was.
    await expect(publishDraft(instance, library, draft)).rejects.toThrow(
      /^image: could not be fetched: .* answered 404/,
    );
    expect(await findDraft(instance.db, library.id, draft.id)).toBeDefined();
    const input = { ...draft.input, imageUrl: undefined, imageAlt: undefined };
    const item = await publishDraft(instance, library, draft, input);
    expect(item.title).toBe("Prasideda vasaros skaitymo iššūkis");
    expect(item.language).toBe("lt");
    expect(await findDraft(instance.db, library.id, draft.id)).toBeUndefined();
    // A second Publish of the same (now gone) draft publishes nothing.
    await expect(publishDraft(instance, library, draft, input)).rejects.toThrow(
      "draft: was already published or deleted",
    );
    expect(await counts()).toMatchObject({ drafts: 0, items: 1 });
  });

  it("imports and publishes at once with publish, and refuses to publish the same page twice", async () => {
    const url = site.url("/naujienos/bibliotekos-naktis");
    const result = await importPageAs(instance, library, url, { publish: true });
    if (result.kind !== "post") throw new Error("expected a post");
    const item = await findItemByIri(instance.db, result.item.iri);
    expect(item?.title).toBe("Bibliotekų naktis 2026");
    // The page's image is not served and cannot be checked: the post goes out without it.
    expect(item?.attachments).toEqual([]);
    await expect(importPageAs(instance, library, url, { publish: true })).rejects.toThrow(
      /^url: .* was already published as http/,
    );
  });
});
