import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CurationNetwork, startCurationNetwork } from "./support/curation-network.ts";
import { waitFor } from "./support/ports.ts";
import type { Delivery } from "./support/sink.ts";

/**
 * Issue 10's curation with four server processes on loopback: two libraries, the hub and a reader
 * instance following the hub's account. One source is auto-approved, the other's items wait; a
 * curator approves, features (the hub boosts the original object, with audience), unfeatures
 * (Undo) and hides, and the shared feed and its RSS, Atom and JSON Feed follow each step; a
 * blocked domain's items disappear and its new activities are refused.
 */
describe("hub curation across four instances", { timeout: 120_000 }, () => {
  let net: CurationNetwork;
  let vilniusNew: string;
  let rigaNew: string;

  const hubCli = async (...args: string[]) => net.hub.cli(args);
  const page = async (path: string) => {
    const response = await fetch(new URL(path, net.hub.instance.url));
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      text: await response.text(),
    };
  };
  const jsonFeedIds = async (query = "") => {
    const feed = JSON.parse((await page(`/shared/feed.json${query}`)).text) as { items: { id: string }[] };
    return feed.items.map((i) => i.id);
  };
  const curationState = async (iri: string) => {
    const [row] = await net.hub.db.sql<{ state: string; featured: boolean; announce: string | null }[]>`
      SELECT c.state, c.featured_at IS NOT NULL AS featured, c.announce_iri AS announce
      FROM curation c JOIN items i ON i.id = c.item_id WHERE i.iri = ${iri}`;
    return row;
  };
  /** The hub account's outbox as a remote server reads it: its size and the Announces on page 1. */
  const outboxAnnounces = async () => {
    const headers = { Accept: "application/activity+json" };
    const get = async (url: string | URL) =>
      (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
    const outbox = await get(new URL("/users/hub/outbox", net.hub.instance.url));
    const first = await get(String(outbox.first));
    // An empty page has no orderedItems at all once compacted.
    const activities = [first.orderedItems ?? []].flat() as { type: string; id: string; object: unknown }[];
    return {
      total: outbox.totalItems,
      announces: activities.filter((a) => a.type === "Announce").map((a) => ({ id: a.id, object: a.object })),
    };
  };
  const sinkGot = (type: string, objectId?: string): Delivery[] =>
    net.sink.deliveries.filter((d) => {
      if (d.type !== type || d.port !== net.sink.ports[0]) return false;
      if (!objectId) return true;
      const object = d.body.object;
      return typeof object === "string"
        ? object === objectId
        : (object as { object?: unknown })?.object === objectId;
    });

  beforeAll(async () => {
    net = await startCurationNetwork();
    const on = await hubCli("hub", "auto-approve", net.lt.actor("vilnius"), "on");
    expect(on.stdout).toContain("are approved at once");
    vilniusNew = await net.publish(net.lt, "vilnius", {
      title: "Naujas bibliotekos renginys vaikams",
      summary: "Vilniaus biblioteka kviečia vaikus į skaitymo valandą.",
      content: "<p>Skaitymo valanda šeštadienį.</p>",
      language: "lt",
    });
    rigaNew = await net.publish(net.lv, "riga", {
      title: "Jauna izstāde bibliotēkā",
      summary: "Rīgas bibliotēkā atklāta grāmatu izstāde par Latvijas vēsturi.",
      content: "<p>Izstāde apskatāma visu mēnesi.</p>",
      language: "lv",
    });
    await waitFor(async () => (await curationState(vilniusNew)) && (await curationState(rigaNew)), {
      what: "both new articles on the hub",
      timeoutMs: 30_000,
    });
  }, 480_000);

  afterAll(async () => {
    await net?.stop();
  });

  it("auto-approves the chosen source's new items and queues the other's", async () => {
    expect(await curationState(vilniusNew)).toMatchObject({ state: "approved", featured: false });
    expect(await curationState(rigaNew)).toMatchObject({ state: "pending" });
    // What was backfilled before the choice waits too (the default is the queue).
    expect(await curationState(net.earlier.vilnius)).toMatchObject({ state: "pending" });
    const ids = await jsonFeedIds();
    expect(ids).toContain(vilniusNew);
    expect(ids).not.toContain(rigaNew);
    const html = await page("/shared");
    expect(html.status).toBe(200);
    expect(html.text).toContain("Naujas bibliotekos renginys vaikams");
    expect(html.text).toContain("Vilniaus biblioteka");
    expect(html.text).toContain(`href="${vilniusNew}"`);
    expect(html.text).not.toContain("Jauna izstāde bibliotēkā");
    expect(html.text).toMatch(
      /<link rel="alternate" type="application\/rss\+xml"[^>]*href="[^"]*\/shared\/feed\.rss"/,
    );
  });

  it("approves a queued item: the page and all three feeds show it, crediting its library", async () => {
    const approved = await hubCli("hub", "approve", rigaNew);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`Approved ${rigaNew}`);
    expect(await jsonFeedIds()).toContain(rigaNew);
    const rss = await page("/shared/feed.rss");
    expect(rss.type).toContain("application/rss+xml");
    expect(rss.text).toContain("Jauna izstāde bibliotēkā");
    expect(rss.text).toContain("Rīgas bibliotēka");
    const atom = await page("/shared/feed.atom");
    expect(atom.type).toContain("application/atom+xml");
    expect(atom.text).toContain(rigaNew);
    // Filters: by country and language (the Latvian item only), keyset pages of one.
    expect(await jsonFeedIds("?country=LV")).toEqual([rigaNew]);
    expect(await jsonFeedIds("?language=lt")).toEqual([vilniusNew]);
    const bad = await page("/shared?country=Latvia");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("country");
    const [audit] = await net.hub.db.sql<{ actor_label: string; action: string; target: string }[]>`
      SELECT actor_label, action, target FROM audit_log WHERE action = 'item.approve'`;
    expect(audit).toEqual({ actor_label: "cli", action: "item.approve", target: rigaNew });
  });

  it("features an item: the reader receives the hub's Announce of the original object, with audience; featuring twice sends no second one", async () => {
    const featured = await hubCli("hub", "feature", rigaNew);
    expect(featured.code).toBe(0);
    const [announce] = await waitFor(
      async () => {
        const got = sinkGot("Announce", rigaNew);
        return got.length > 0 ? got : null;
      },
      { what: "the Announce at the follower's inbox" },
    );
    expect(announce?.body).toMatchObject({
      actor: net.hub.actor("hub"),
      object: rigaNew,
      audience: net.hub.actor("hub"),
      to: "https://www.w3.org/ns/activitystreams#Public",
      cc: `${net.hub.actor("hub")}/followers`,
    });
    // The reader instance, a real follower, stored the boosted object as the library's item.
    const stored = await waitFor(
      async () => {
        const [row] = await net.reader.db.sql<{ iri: string; author: string }[]>`
        SELECT i.iri, r.iri AS author FROM items i JOIN remote_actors r ON r.id = i.remote_actor_id
        WHERE i.iri = ${rigaNew}`;
        return row;
      },
      { what: "the reader storing the boosted article", timeoutMs: 30_000 },
    );
    expect(stored.author).toBe(net.lv.actor("riga"));

    const twice = await hubCli("hub", "feature", rigaNew);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain("already featured: no second Announce was sent");
    expect(await jsonFeedIds("?featured=1")).toEqual([rigaNew]);
    expect((await page("/shared?featured=1")).text).toContain('class="badge"');
    // The hub's outbox lists the standing Announce, as Mastodon's outbox lists boosts.
    const outbox = await outboxAnnounces();
    expect(outbox.announces).toEqual([{ id: (await curationState(rigaNew))?.announce, object: rigaNew }]);
    expect(outbox.total).toBe(1);
    // The follower that refuses (403) is recorded as a delivery failure; the others were served.
    const failure = await waitFor(
      async () => {
        const [row] = await net.hub.db.sql<{ status: number; activity_type: string }[]>`
        SELECT status, activity_type FROM delivery_failures WHERE inbox LIKE ${`%:${net.sink.ports[1]}/%`}`;
        return row;
      },
      { what: "the refused delivery recorded" },
    );
    expect(failure).toMatchObject({ status: 403, activity_type: "Announce" });
  });

  it("unfeatures: the hub sends Undo of that very Announce", async () => {
    const state = await curationState(rigaNew);
    const unfeatured = await hubCli("hub", "unfeature", rigaNew);
    expect(unfeatured.code).toBe(0);
    const [undo] = await waitFor(
      async () => {
        const got = net.sink.deliveries.filter((d) => d.type === "Undo" && d.port === net.sink.ports[0]);
        return got.length > 0 ? got : null;
      },
      { what: "the Undo at the follower's inbox" },
    );
    expect(undo?.body).toMatchObject({
      actor: net.hub.actor("hub"),
      object: { type: "Announce", id: state?.announce, object: rigaNew },
    });
    // Exactly one Announce reached the follower, although the item was featured twice.
    expect(sinkGot("Announce", rigaNew)).toHaveLength(1);
    expect(await jsonFeedIds("?featured=1")).toEqual([]);
    expect(await jsonFeedIds()).toContain(rigaNew);
    expect(await outboxAnnounces()).toEqual({ total: 0, announces: [] });
  });

  it("hides an item: gone from the page, the feeds and search; restore brings it back", async () => {
    const hidden = await hubCli("hub", "hide", rigaNew);
    expect(hidden.code).toBe(0);
    expect(await jsonFeedIds()).not.toContain(rigaNew);
    expect((await page("/shared/feed.rss")).text).not.toContain("Jauna izstāde");
    expect((await page("/shared/feed.atom")).text).not.toContain(rigaNew);
    const search = async () => {
      const response = await page(`/api/v1/search?q=${encodeURIComponent("izstāde")}`);
      return (JSON.parse(response.text) as { items: { id: string }[] }).items.map((i) => i.id);
    };
    expect(await search()).not.toContain(rigaNew);
    const restored = await hubCli("hub", "restore", rigaNew);
    expect(restored.stdout).toContain(`Restored ${rigaNew}`);
    expect(await jsonFeedIds()).toContain(rigaNew);
    expect(await search()).toContain(rigaNew);
  });

  it("names the item when it is unknown or was deleted by its source", async () => {
    const unknown = await hubCli("hub", "approve", "https://nowhere.example/posts/1");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("item: no received item https://nowhere.example/posts/1");
    const removed = await net.lv.cli(["posts", "delete", rigaNew]);
    expect(removed.code).toBe(0);
    await waitFor(
      async () => {
        const [row] = await net.hub.db.sql`SELECT 1 FROM items WHERE iri = ${rigaNew} AND deleted_at IS NULL`;
        return row == null;
      },
      { what: "the hub dropping the deleted article" },
    );
    const gone = await hubCli("hub", "feature", rigaNew);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/item: .*(no received item|deleted by its source)/);
    const badSwitch = await hubCli("hub", "auto-approve", net.lv.actor("riga"), "maybe");
    expect(badSwitch.stderr).toContain('<on|off>: expected on or off, got "maybe"');
    const noSource = await hubCli("hub", "auto-approve", "@nobody@nowhere.example", "on");
    expect(noSource.stderr).toContain("source: no source @nobody@nowhere.example");
  });

  it("blocks a library's domain: its items leave the feed and search, its new activities are refused", async () => {
    const host = new URL(net.lt.instance.url).host;
    expect(await jsonFeedIds()).toContain(vilniusNew);
    const blocked = await hubCli("hub", "block", host, "--reason", "test of a block");
    expect(blocked.code).toBe(0);
    expect(await jsonFeedIds()).not.toContain(vilniusNew);
    const found = await page(`/api/v1/search?q=${encodeURIComponent("skaitymo")}`);
    expect(found.text).not.toContain(vilniusNew);
    const [left] = await net.hub.db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM items i JOIN remote_actors a ON a.id = i.remote_actor_id
      WHERE a.iri LIKE ${`${net.lt.instance.url.origin}/%`}`;
    expect(left?.n).toBe(0);
    // A new article from the blocked library: the hub answers its delivery 403 and stores nothing.
    const later = await net.publish(net.lt, "vilnius", {
      title: "Po blokavimo paskelbtas straipsnis",
      summary: "Šis straipsnis neturi pasiekti centro.",
      content: "<p>Neturi pasiekti.</p>",
      language: "lt",
    });
    await waitFor(
      async () => {
        const [row] = await net.lt.db.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM delivery_failures WHERE activity_id LIKE ${`${later}%`} AND status = 403`;
        return (row?.n ?? 0) > 0;
      },
      { what: "the library's delivery refused by the hub", timeoutMs: 60_000 },
    );
    const [stored] = await net.hub.db.sql`SELECT 1 FROM items WHERE iri = ${later}`;
    expect(stored).toBeUndefined();
  });
});
