import ical from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listAudit } from "../server/domain/audit-log.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { blockDomainAudited } from "../server/domain/moderation-actions.ts";
import { followRemote } from "../server/services/following.ts";
import { publishPost } from "../server/services/publishing.ts";
import { likeBy, postToInbox } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

interface DirectoryJson {
  libraries: {
    name: string;
    handle: string;
    iri: string;
    country: string | null;
    city: string | null;
    website: string | null;
    latitude: number | null;
    longitude: number | null;
    items: number;
    lastActivity: string | null;
  }[];
}

/** Issue 10: the hub's directory and map data over real federation (two libraries and a hub on loopback). */
describe("hub directory and map", () => {
  let hub: InProcessInstance;
  let vilnius: InProcessInstance;
  let riga: InProcessInstance;
  let hubAccount: Account;
  let lnb: Account;
  let lnbLv: Account;

  const json = async (path: string) => {
    const response = await fetch(new URL(path, hub.url));
    return { status: response.status, body: (await response.json()) as DirectoryJson & { error?: string } };
  };

  beforeAll(async () => {
    [hub, vilnius, riga] = await Promise.all([
      startInProcess({ instanceRole: "hub" }),
      startInProcess(),
      startInProcess(),
    ]);
    hubAccount = await createAccount(hub.db, { username: "hub", name: "Hub" });
    lnb = await createAccount(vilnius.db, {
      username: "lnb",
      name: "Martynas Mažvydas Library",
      country: "LT",
      city: "Vilnius",
      latitude: 54.6872,
      longitude: 25.2797,
      website: "https://www.lnb.lt/",
    });
    lnbLv = await createAccount(riga.db, {
      username: "lnb",
      name: "National Library of Latvia",
      country: "LV",
      city: "Rīga",
      latitude: 56.9496,
      longitude: 24.1052,
    });
    for (const [instance, account] of [
      [vilnius, lnb],
      [riga, lnbLv],
    ] as const) {
      await followRemote(hub, hubAccount, new URL(`/users/${account.username}`, instance.url).href);
    }
    await waitFor(
      async () => {
        const follows = await listFollowing(hub.db, hubAccount.id);
        return follows.length === 2 && follows.every((f) => f.state === "accepted");
      },
      { what: "both follows accepted" },
    );
    await publishPost(vilnius, lnb, {
      title: "Skaitymai",
      summary: "Vakaras.",
      language: "lt",
      content: "<p>Labas</p>",
    });
    await publishPost(riga, lnbLv, {
      title: "Lasījumi",
      summary: "Vakars.",
      language: "lv",
      content: "<p>Sveiki</p>",
    });
    await waitFor(async () => (await json("/directory.json")).body.libraries.every((l) => l.items === 1), {
      what: "both posts on the hub",
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hub?.stop(), vilnius?.stop(), riga?.stop()]);
  });

  it("lists the followed libraries with their coordinates, counts and latest activity", async () => {
    const { status, body } = await json("/directory.json");
    expect(status).toBe(200);
    expect(body.libraries).toEqual([
      expect.objectContaining({
        name: "Martynas Mažvydas Library",
        handle: `@lnb@${vilnius.url.host}`,
        iri: new URL("/users/lnb", vilnius.url).href,
        country: "LT",
        city: "Vilnius",
        website: "https://www.lnb.lt/",
        latitude: 54.6872,
        longitude: 25.2797,
        items: 1,
      }),
      expect.objectContaining({
        name: "National Library of Latvia",
        country: "LV",
        latitude: 56.9496,
        longitude: 24.1052,
      }),
    ]);
    expect(Date.parse(body.libraries[0]?.lastActivity ?? "")).toBeGreaterThan(Date.now() - 600_000);
    const latvian = await json("/directory.json?country=lv");
    expect(latvian.body.libraries.map((l) => l.country)).toEqual(["LV"]);
    const bad = await json("/directory.json?sort=size");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^sort: /);
  });

  it("shows the list and a server-drawn map, country names in the reader's language", async () => {
    const response = await fetch(new URL("/directory?lang=lt", hub.url));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Martynas Mažvydas Library");
    expect(html).toContain("Lietuva");
    expect(html).toContain("Latvija");
    // Two dots linked to the libraries, over bundled outlines (no network: Natural Earth paths).
    expect(html.match(/<circle /g)).toHaveLength(2);
    expect(html).toContain(`href="${new URL("/users/lnb", riga.url).href}"`);
    expect(html.match(/<path d="M/g)?.length ?? 0).toBeGreaterThan(20);
    const library = await fetch(new URL("/directory", vilnius.url));
    expect(library.status).toBe(404);
  });

  it("lists both libraries' events in the hub's shared calendar and its iCal feed, with filters", async () => {
    const year = new Date().getUTCFullYear() + 1;
    const event = (
      title: string,
      language: string,
      start: string,
      where: Record<string, string | number>,
    ) => ({
      type: "event" as const,
      title,
      summary: "A training.",
      content: "Programme.",
      format: "markdown" as const,
      language,
      event: { start, end: start.replace("T10", "T12"), timeZone: "Europe/Vilnius", ...where },
    });
    const lt = await publishPost(
      vilnius,
      lnb,
      event("Mokymai", "lt", `${year}-03-10T10:00`, { placeName: "Vilnius, Gedimino pr. 51" }),
    );
    await publishPost(
      riga,
      lnbLv,
      event("Apmācības", "lv", `${year}-03-12T10:00`, { onlineUrl: "https://meet.example/lv" }),
    );
    const feed = async (query = "") => {
      const response = await fetch(new URL(`/users/hub/calendar.ics${query}`, hub.url));
      expect(response.status).toBe(200);
      return Object.values(ical.sync.parseICS(await response.text()))
        .flatMap((c): ical.VEvent[] => (c?.type === "VEVENT" ? [c] : []))
        .map((e) => ({ summary: String(e.summary), start: e.start.toISOString() }))
        .sort((a, b) => a.start.localeCompare(b.start));
    };
    await waitFor(async () => (await feed()).length === 2, { what: "both events on the hub" });
    expect(await feed()).toEqual([
      { summary: "Mokymai", start: `${year}-03-10T08:00:00.000Z` },
      { summary: "Apmācības", start: `${year}-03-12T08:00:00.000Z` },
    ]);
    expect((await feed("?country=LV")).map((e) => e.summary)).toEqual(["Apmācības"]);
    expect((await feed("?mode=onsite")).map((e) => e.summary)).toEqual(["Mokymai"]);
    expect((await feed("?language=lv&mode=online")).map((e) => e.summary)).toEqual(["Apmācības"]);
    const bad = await fetch(new URL("/users/hub/calendar.ics?mode=space", hub.url));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("mode: ");
    const page = await fetch(new URL(`/users/hub/calendar?month=${year}-03`, hub.url));
    const html = await page.text();
    expect(html).toContain("Mokymai");
    expect(html).toContain("Apmācības");
    // Filtered, the month shows that country's event only, and moving a month keeps the filter.
    const latvian = await (
      await fetch(new URL(`/users/hub/calendar?month=${year}-03&country=LV`, hub.url))
    ).text();
    expect(latvian).toContain("Apmācības");
    expect(latvian).not.toContain("Mokymai");
    expect(latvian).toContain(`href="/users/hub/calendar?country=LV&amp;month=${year}-04" rel="next"`);
    expect(latvian).toContain(`<input type="hidden" name="month" value="${year}-03"/>`);
    // A library's own calendar stays its own.
    const own = await (await fetch(new URL("/users/lnb/calendar.ics", riga.url))).text();
    expect(own).not.toContain("Mokymai");
    expect(lt.iri).toContain(vilnius.url.host);
  }, 60_000);

  it("drops a blocked domain's library and items, and refuses its new activities", async () => {
    await blockDomainAudited(hub.db, "cli", vilnius.url.host, "test");
    const { body } = await json("/directory.json");
    expect(body.libraries.map((l) => l.name)).toEqual(["National Library of Latvia"]);
    const items = await hub.db.query.items.findMany({
      where: (t, { isNotNull }) => isNotNull(t.remoteActorId),
    });
    expect(items.map((i) => i.title).sort()).toEqual(["Apmācības", "Lasījumi"]);
    const like = likeBy({ instance: vilnius, account: lnb }, new URL("/users/hub", hub.url).href);
    await waitFor(
      async () => (await postToInbox(hub, like, { instance: vilnius, account: lnb })).status === 403,
      {
        what: "the blocked domain refused",
      },
    );
    expect((await listAudit(hub.db, { action: "domain.block" })).entries[0]?.target).toBe(vilnius.url.host);
  }, 60_000);
});
