import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { facetCounts } from "../server/search/facets.ts";
import { parseSearchParams, type SearchParameter } from "../server/search/params.ts";
import { pageOfMatches, type SearchPlan } from "../server/search/plan.ts";
import { textQuery } from "../server/search/text-query.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/**
 * A common word's plan (the date index walked, each match ranked as read; facets from the table's
 * first rows) and a rare word's (GIN matches first, filters after, ranked by ctid) must answer
 * alike: here every word is rare in fact, so both plans see all matches.
 */
describe("search plans", () => {
  let site: InProcessInstance;

  beforeAll(async () => {
    site = await startInProcess();
    const vilnius = await createAccount(site.db, { username: "vilnius", name: "Vilnius", country: "LT" });
    const riga = await createAccount(site.db, { username: "riga", name: "Rīga", country: "LV" });
    for (let n = 0; n < 24; n++) {
      const titled = n % 5 === 0;
      await publishPost(site, n % 3 === 0 ? riga : vilnius, {
        title: titled ? `Biblioteka ${n}` : `Renginys ${n}`,
        // "Kvietimas" in every fourth: 4 of Vilnius' 16, sparse among its rows.
        content: `<p>${titled ? "Skaitymas" : "Biblioteka ir skaitymas"} ${n}, ${"žodis ".repeat(n)}${n % 4 === 0 ? " kvietimas" : ""}</p>`,
        language: "lt",
        tags: [n % 2 ? "skaitymas" : "vaikai"],
      });
    }
  });

  afterAll(async () => {
    await site?.stop();
  });

  const request = (params: Partial<Record<SearchParameter, string>>) =>
    parseSearchParams((name) => params[name]);
  const plans = (text: string): [SearchPlan, SearchPlan] => [
    { query: textQuery(text), common: true },
    { query: textQuery(text), common: false },
  ];

  /** Every page of a request under one plan, following the cursors. */
  async function allPages(params: Partial<Record<SearchParameter, string>>, plan: SearchPlan) {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { rows, next } = await pageOfMatches(site.db, request({ ...params, limit: "5", cursor }), plan);
      ids.push(...rows.map((r) => r.item_id));
      if (!next) return ids;
      cursor = next;
    }
    throw new Error("cursors never end");
  }

  for (const params of [
    { q: "biblioteka" },
    { q: "biblioteka", sort: "date" },
    { q: "biblioteka", country: "LV" },
    { q: "biblioteka", country: "LT", type: "news", sort: "date" },
    { q: "skaitymas", tag: "vaikai" },
  ] as Partial<Record<SearchParameter, string>>[]) {
    it(`answers ${JSON.stringify(params)} alike under both plans`, async () => {
      const [common, rare] = plans(params.q ?? "");
      const [a, b] = [await allPages(params, common), await allPages(params, rare)];
      expect(a.length).toBeGreaterThan(0);
      expect(new Set(a).size).toBe(a.length);
      expect(a).toEqual(b);
      const [fa, fb] = [
        await facetCounts(site.db, request(params), common),
        await facetCounts(site.db, request(params), rare),
      ];
      expect(fa).toEqual(fb);
      expect(fa.total).toBe(a.length);
      // A common word said to be sparse (one entry in a thousand): counted from its bitmap.
      expect(await facetCounts(site.db, request(params), { ...common, density: 0.001 })).toEqual(fa);
    });
  }

  // A window of the 8 newest matches: under the common plan, filtered, a capped walk of the
  // filtered rows finds them (Lithuanian words in LT's rows); the other plan reads the index.
  for (const params of [
    { q: "biblioteka", country: "LT" },
    { q: "skaitymas", country: "LV", type: "news" },
  ] as Partial<Record<SearchParameter, string>>[]) {
    it(`ranks the same window of ${JSON.stringify(params)} under both plans, page by page`, async () => {
      const [common, rare] = plans(params.q ?? "");
      const [a, b] = [
        await allPages(params, { ...common, rankWindow: 8 }),
        await allPages(params, { ...rare, rankWindow: 8 }),
      ];
      expect(a).toHaveLength(8); // two pages of five
      expect(a).toEqual(b);
    });
  }

  // A word in a quarter of the filtered rows: a first walk of twice the window's rows meets too
  // few, a second one as long as that density needs meets them all.
  it("ranks the same window of a word sparse among the filtered rows under both plans", async () => {
    const params = { q: "kvietimas", country: "LT" };
    const [common, rare] = plans("kvietimas");
    const [a, b] = [
      await allPages(params, { ...common, rankWindow: 3 }),
      await allPages(params, { ...rare, rankWindow: 3 }),
    ];
    expect(a).toHaveLength(3);
    expect(a).toEqual(b);
    // Newest first, past the window: the page walks give up and the GIN index answers alike.
    const dated = { ...params, sort: "date" };
    expect(await allPages(dated, common)).toEqual(await allPages(dated, rare));
  });

  // Capped counts: under the common plan with filters, the first matches in the table's order
  // (a probe found them dense enough); under the other, the first of the GIN bitmap, which a
  // bitmap scan reads in the same order.
  for (const [params, cap] of [
    [{ q: "biblioteka", country: "LT" }, 5],
    [{ q: "kvietimas", country: "LT" }, 2],
  ] as [Partial<Record<SearchParameter, string>>, number][]) {
    it(`counts the first ${cap} matches of ${JSON.stringify(params)} alike under both plans`, async () => {
      const [common, rare] = plans(params.q ?? "");
      const [fa, fb] = [
        await facetCounts(site.db, request(params), { ...common, facetCap: cap }),
        await facetCounts(site.db, request(params), { ...rare, facetCap: cap }),
      ];
      expect(fa).toEqual(fb);
      expect(fa).toMatchObject({ total: cap, capped: true });
      expect(fa.facets.country).toEqual([{ value: "LT", count: cap }]);
    });
  }

  it("ranks title matches first under both plans", async () => {
    for (const plan of plans("biblioteka")) {
      const { rows } = await pageOfMatches(site.db, request({ q: "biblioteka", limit: "5" }), plan);
      expect(rows.length).toBe(5);
      const ranks = rows.map((r) => Number(r.rank));
      expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
      // Five of the 24 have the word in their title (n = 0, 5, 10, 15, 20).
      const titled = await site.database.sql<
        { id: string }[]
      >`SELECT id FROM items WHERE title LIKE 'Biblioteka %'`;
      expect(new Set(rows.map((r) => r.item_id))).toEqual(new Set(titled.map((t) => t.id)));
    }
  });
});
