import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemDetails } from "../server/db/schema/index.ts";
import { hubKindOf } from "../server/domain/hub-kinds.ts";
import { type HubNetwork, startHubNetwork } from "./support/hub-network.ts";
import { waitFor } from "./support/ports.ts";

interface HubItem {
  iri: string;
  title: string;
  language: string | null;
  type: string;
  details: ItemDetails | null;
  tags: string[];
}

/**
 * Issue 9's data path with three server processes on loopback: two libraries (Lithuanian and
 * Latvian) and a hub that follows them, backfills what they published before, receives new
 * articles, updates and deletes, and keeps a non-indexable source out of search's reach.
 */
describe("a hub and two libraries", () => {
  let net: HubNetwork;

  async function hubItem(iri: string): Promise<HubItem | undefined> {
    const [row] = await net.hub.db.sql<HubItem[]>`
      SELECT iri, title, language, type, details, tags FROM items WHERE iri = ${iri}`;
    return row;
  }

  interface SearchAnswer {
    items: { id: string; title: string }[];
    facets: Record<string, { value: string; count: number }[]>;
    total: number;
  }

  async function search(q: string, more = ""): Promise<SearchAnswer> {
    const response = await fetch(
      new URL(`/api/v1/search?q=${encodeURIComponent(q)}${more}`, net.hub.instance.url),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as SearchAnswer;
  }

  beforeAll(async () => {
    net = await startHubNetwork();
  }, 180_000);

  afterAll(async () => {
    await net?.stop();
  });

  it("backfilled each library's earlier article, with its language, tags and kind", async () => {
    const vilnius = await hubItem(net.earlier.vilnius);
    const riga = await hubItem(net.earlier.riga);
    expect(vilnius).toMatchObject({ language: "lt", tags: ["skaitymas"] });
    expect(riga).toMatchObject({ language: "lv", tags: ["prasmes"] });
    expect(vilnius && hubKindOf(vilnius)).toBe("news");
    expect(await hubItem(net.earlier.closed)).toBeDefined();
  });

  it("keeps each source's country and consent from its profile", async () => {
    const rows = await net.hub.db.sql<{ iri: string; country: string; indexable: boolean }[]>`
      SELECT iri, country, indexable FROM remote_actors`;
    const of = (iri: string) => rows.find((r) => r.iri === iri);
    expect(of(net.lt.actor("vilnius"))).toMatchObject({ country: "LT", indexable: true });
    expect(of(net.lv.actor("riga"))).toMatchObject({ country: "LV", indexable: true });
    expect(of(net.lv.actor("closed"))).toMatchObject({ indexable: false });
    const sources = (await net.hub.cli(["hub", "sources"])).stdout;
    expect(sources).toMatch(new RegExp(`not-indexable\\tLV\\t${net.lv.actor("closed")}`));
  });

  it("finds both libraries' articles through the search API, with facet counts, Lithuanian inflections and Latvian without diacritics; never the non-indexable source", async () => {
    const found = await search("biblioteka");
    const ids = found.items.map((i) => i.id);
    // `biblioteka` matches Lithuanian "Bibliotekose" (stemmed) and Latvian "Bibliotēka" (unaccented).
    expect(ids).toContain(net.earlier.vilnius);
    expect(ids).toContain(net.earlier.riga);
    expect(ids).not.toContain(net.earlier.closed);
    expect(found.facets.country).toEqual(
      expect.arrayContaining([
        { value: "LT", count: 1 },
        { value: "LV", count: 1 },
      ]),
    );
    expect(found.facets.language).toEqual(
      expect.arrayContaining([
        { value: "lt", count: 1 },
        { value: "lv", count: 1 },
      ]),
    );
    expect(found.total).toBe(2);
    const latvianOnly = await search("biblioteka", "&country=LV");
    expect(latvianOnly.items.map((i) => i.id)).toEqual([net.earlier.riga]);
    // The closed library's own words find nothing: it asked not to be indexed.
    expect((await search("jaunumi")).items.map((i) => i.id)).not.toContain(net.earlier.closed);
  });

  it("receives a new article, then its update, then its deletion", async () => {
    const url = await net.publish(net.lv, "riga", {
      title: "Jaunas grāmatas bibliotēkā",
      summary: "Bibliotēkā pieejamas jaunas grāmatas bērniem un jauniešiem.",
      content: "<p>Nāciet un izvēlieties!</p>",
      language: "lv",
    });
    await waitFor(async () => (await hubItem(url))?.title === "Jaunas grāmatas bibliotēkā", {
      what: "the new article on the hub",
      timeoutMs: 30_000,
    });
    const updated = await net.lv.cli(["posts", "update", url, "--title", "Jaunas grāmatas bibliotēkās"]);
    expect(updated.code, updated.stderr).toBe(0);
    await waitFor(async () => (await hubItem(url))?.title === "Jaunas grāmatas bibliotēkās", {
      what: "the update on the hub",
      timeoutMs: 30_000,
    });
    // The search index follows in the same transaction.
    const afterUpdate = await search("grāmatas");
    expect(afterUpdate.items.find((i) => i.id === url)?.title).toBe("Jaunas grāmatas bibliotēkās");
    const deleted = await net.lv.cli(["posts", "delete", url]);
    expect(deleted.code, deleted.stderr).toBe(0);
    await waitFor(async () => (await hubItem(url)) === undefined, {
      what: "the deletion on the hub",
      timeoutMs: 30_000,
    });
    expect((await search("grāmatas")).items.map((i) => i.id)).not.toContain(url);
  });

  it("backfills again on demand, printing progress, without duplicating items", async () => {
    const again = await net.hub.cli(["hub", "backfill", net.lt.actor("vilnius")]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/backfilled 1 of 1 read/);
    const [row] = await net.hub.db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM items WHERE iri = ${net.earlier.vilnius}`;
    expect(row?.n).toBe(1);
  });

  it("explains usage mistakes and refuses hub commands on a library", async () => {
    const both = await net.hub.cli(["hub", "follow", net.lt.actor("vilnius"), "--instance", "x.example"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("--instance");
    const onLibrary = await net.lt.cli(["hub", "sources"]);
    expect(onLibrary.code).toBe(1);
    expect(onLibrary.stderr).toContain("INSTANCE_ROLE");
  });
});
