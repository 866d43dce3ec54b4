import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../server/domain/accounts.ts";
import type { Item } from "../server/domain/items.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { editPost, publishPost, removePost } from "../server/services/publishing.ts";
import { followedLibrary } from "./support/followed-library.ts";
import { type InProcessInstance, runCli } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

const YEAR = new Date().getUTCFullYear() + 1;
const AS_JSON = { Accept: "application/activity+json" };

/** A training event as seed 000's calendar lists them; 10 March is winter time in Vilnius (UTC+2). */
function training(overrides: Partial<NonNullable<PostInput["event"]>> = {}): PostInput {
  return {
    type: "event",
    title: "Digital literacy for school librarians",
    summary: "A hands-on workshop on teaching search skills.",
    content: "## Programme\n\n- Search strategies\n- Evaluating sources",
    format: "markdown",
    language: "en",
    tags: ["training"],
    event: {
      start: `${YEAR}-03-10T10:00`,
      end: `${YEAR}-03-10T12:30`,
      timeZone: "Europe/Vilnius",
      placeName: "Kaunas County Library, Radvilėnų pl. 19, Kaunas",
      latitude: 54.9037,
      longitude: 23.9366,
      onlineUrl: "https://meet.example/kaunas-training",
      registrationUrl: "https://forms.example/register",
      organizer: "Kaunas County Library",
      audience: "School librarians",
      ...overrides,
    },
  };
}

interface EventJson {
  type: string;
  name: string;
  summary: string;
  startTime: string;
  endTime: string;
  url: string;
  location: { type: string; name: string; latitude?: number; longitude?: number; url?: string }[];
}

describe("training events (FEP-8a8e)", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;
  let event: Item;

  const received = (iri: string) => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) });

  beforeAll(async () => {
    ({ a, b, library } = await followedLibrary({ username: "kaunas", name: "Kaunas County Library" }));
    event = await publishPost(a, library, training());
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("serves an Event whose summary says when and where, with its times and places", async () => {
    expect(new URL(event.iri).pathname).toMatch(/^\/users\/kaunas\/events\/[0-9a-f-]{36}$/);
    const json = (await (await fetch(event.iri, { headers: AS_JSON })).json()) as EventJson;
    expect(json.type).toBe("Event");
    expect(json.name).toBe("Digital literacy for school librarians");
    expect(json.startTime).toBe(`${YEAR}-03-10T08:00:00Z`);
    expect(json.endTime).toBe(`${YEAR}-03-10T10:30:00Z`);
    // Mastodon shows name + summary only: the facts come first, in plain text.
    expect(json.summary).toBe(
      `10 March ${YEAR}, 10:00–12:30 GMT+2 (Europe/Vilnius) · Kaunas County Library, Radvilėnų pl. 19, Kaunas + online. A hands-on workshop on teaching search skills.`,
    );
    const locations = Array.isArray(json.location) ? json.location : [json.location];
    expect(locations).toEqual([
      {
        type: "Place",
        name: "Kaunas County Library, Radvilėnų pl. 19, Kaunas",
        latitude: 54.9037,
        longitude: 23.9366,
      },
      { type: "Place", name: "Online", url: "https://meet.example/kaunas-training" },
    ]);
  });

  it("arrives on the other instance with its times and places, is updated there and deleted", async () => {
    const stored = await waitFor(() => received(event.iri), { what: "the event on B" });
    expect(stored.type).toBe("Event");
    expect(stored.startsAt?.toISOString()).toBe(`${YEAR}-03-10T08:00:00.000Z`);
    expect(stored.endsAt?.toISOString()).toBe(`${YEAR}-03-10T10:30:00.000Z`);
    expect(stored.details).toEqual({
      kind: "event",
      location: {
        place: {
          name: "Kaunas County Library, Radvilėnų pl. 19, Kaunas",
          latitude: 54.9037,
          longitude: 23.9366,
        },
        online: "https://meet.example/kaunas-training",
      },
    });

    // Moved online only, an hour later.
    const moved = training({
      start: `${YEAR}-03-10T11:00`,
      end: `${YEAR}-03-10T13:30`,
      placeName: undefined,
    });
    delete moved.event?.latitude;
    delete moved.event?.longitude;
    event = await editPost(a, event, moved);
    expect(event.summary.startsWith(`10 March ${YEAR}, 11:00–13:30 GMT+2 (Europe/Vilnius) · Online.`)).toBe(
      true,
    );
    await waitFor(
      async () => (await received(event.iri))?.startsAt?.toISOString() === `${YEAR}-03-10T09:00:00.000Z`,
      {
        what: "the update on B",
      },
    );
    expect((await received(event.iri))?.details).toEqual({
      kind: "event",
      location: { online: "https://meet.example/kaunas-training" },
    });

    const gone = await publishPost(a, library, training({ start: `${YEAR}-04-01T09:00`, end: undefined }));
    await waitFor(() => received(gone.iri), { what: "the second event on B" });
    await removePost(a, gone);
    await waitFor(async () => (await received(gone.iri)) === undefined, { what: "the delete on B" });
    expect((await fetch(gone.iri, { headers: AS_JSON })).status).toBe(410);
    // Five deliveries waited for in a row: room for a slow, busy machine.
  }, 60_000);

  it("has a page with the facts and OpenGraph tags, and shows in the library's calendar and iCal feed", async () => {
    const html = await (await fetch(event.iri, { headers: { Accept: "text/html" } })).text();
    expect(html).toContain('class="h-event"');
    expect(html).toContain(`datetime="${YEAR}-03-10T09:00:00.000Z"`);
    expect(html).toContain('href="https://meet.example/kaunas-training"');
    expect(html).toContain('href="https://forms.example/register"');
    expect(html).toContain('<meta property="og:title" content="Digital literacy for school librarians"');

    const month = await (await fetch(new URL(`/users/kaunas/calendar?month=${YEAR}-03`, a.url))).text();
    // On its day in the month grid, and in the upcoming list of every month's page.
    expect(month).toContain(
      `<td class="has-events"><span class="day">10</span><ul><li><a href="${new URL(event.iri).pathname}">`,
    );
    const other = await (await fetch(new URL(`/users/kaunas/calendar?month=${YEAR}-05`, a.url))).text();
    expect(other).not.toContain('<td class="has-events"><span class="day">10</span>');
    expect(other).toContain(`<a class="p-name u-url" href="${new URL(event.iri).pathname}">`);

    const feed = await fetch(new URL("/users/kaunas/calendar.ics", a.url));
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    // Parsed back by an independent parser (Mozilla's ical.js).
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const parsed = events.find((e) => e.uid === event.iri);
    expect(parsed?.summary).toBe("Digital literacy for school librarians");
    expect(parsed?.startDate.toJSDate().toISOString()).toBe(`${YEAR}-03-10T09:00:00.000Z`);
    expect(parsed?.endDate.toJSDate().toISOString()).toBe(`${YEAR}-03-10T11:30:00.000Z`);
    expect(parsed?.location).toBe("Online");
    expect(parsed?.description).toContain("Registration: https://forms.example/register");
    expect(parsed?.component.getFirstPropertyValue("url")).toBe(event.iri);
  });

  it("refuses bad events with an error naming the field, and stores nothing", async () => {
    const before = await a.db.query.items.findMany();
    const cases: [Partial<NonNullable<PostInput["event"]>>, RegExp][] = [
      [{ end: `${YEAR}-03-10T09:00` }, /^end: must not be before the start/],
      [{ timeZone: "Mars/Olympus" }, /^time-zone: /],
      [{ start: "next tuesday" }, /^start: /],
      [{ placeName: undefined, onlineUrl: undefined }, /^place: /],
      [{ onlineUrl: "javascript:alert(1)" }, /^online: /],
      [{ latitude: 123 }, /^lat: /],
      // 03:30 does not exist in Vilnius on the last Sunday of March.
      [{ start: "2027-03-28T03:30", end: undefined }, /^start: .*does not exist/],
    ];
    for (const [override, message] of cases) {
      await expect(publishPost(a, library, training(override)), String(message)).rejects.toThrow(message);
    }
    expect((await a.db.query.items.findMany()).length).toBe(before.length);
  });

  it("is created in the admin form, which keeps what was typed and names the field at fault", async () => {
    // Set-up is done (an admin exists); an editor publishes.
    await signedIn(a.db, a.url, "admin");
    const editor = await signedIn(a.db, a.url, "editor");
    const form = await editor.page("/admin/accounts/kaunas/events/new");
    expect(form.status).toBe(200);
    expect(form.html).toContain('<input type="hidden" name="type" value="event"/>');
    expect(form.html).toContain('name="eventStart" type="datetime-local"');
    const fields = {
      type: "event",
      title: "Reading promotion seminar",
      summary: "Ideas for reading clubs.",
      content: "Bring your own ideas.",
      format: "markdown",
      language: "lt",
      eventStart: `${YEAR}-06-02T10:00`,
      eventEnd: `${YEAR}-06-02T09:00`,
      eventTimeZone: "Europe/Vilnius",
      eventPlace: "Šiaulių apskrities biblioteka",
    };
    // Preview: the Markdown rendered and the summary as Mastodon would show it, nothing stored.
    const stored = (await a.db.query.items.findMany()).length;
    const preview = await editor.postForm("/admin/accounts/kaunas/posts", {
      ...fields,
      content: "## Agenda\n\n*Bring ideas.*",
      eventEnd: `${YEAR}-06-02T12:00`,
      preview: "1",
    });
    expect(preview.status).toBe(200);
    const previewHtml = await preview.text();
    expect(previewHtml).toContain("Preview (not saved yet)");
    expect(previewHtml).toContain("<h2>Agenda</h2>");
    expect(previewHtml).toContain("<em>Bring ideas.</em>");
    expect(previewHtml).toContain(
      `<p>${YEAR} m. birželio 2 d., 10:00–12:00 GMT+3 (Europe/Vilnius) · Šiaulių apskrities biblioteka. Ideas for reading clubs.</p>`,
    );
    expect((await a.db.query.items.findMany()).length).toBe(stored);
    const refused = await editor.postForm("/admin/accounts/kaunas/posts", fields);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("end: must not be before the start");
    expect(html).toContain(`value="${YEAR}-06-02T09:00"`);
    const created = await editor.postForm("/admin/accounts/kaunas/posts", {
      ...fields,
      eventEnd: `${YEAR}-06-02T12:00`,
    });
    expect(created.status).toBe(303);
    const path = created.headers.get("location") ?? "";
    expect(path).toMatch(/^\/users\/kaunas\/events\//);
    const page = await editor.page(path);
    expect(page.html).toContain("Šiaulių apskrities biblioteka");
    // The edit form shows the local times and the summary as the editor wrote it.
    const item = await a.db.query.items.findFirst({
      where: (t, { eq }) => eq(t.iri, new URL(path, a.url).href),
    });
    const edit = await editor.page(`/admin/accounts/kaunas/posts/${item?.id}/edit`);
    expect(edit.html).toContain(`value="${YEAR}-06-02T10:00"`);
    expect(edit.html).toContain(">Ideas for reading clubs.</textarea>");
  });

  it("is published from the CLI with --type event", async () => {
    const env = { DATABASE_URL: a.database.url, DATA_DIR: a.config.dataDir, LOG_LEVEL: "warning" };
    const created = await runCli(
      [
        "posts",
        "create",
        "--type",
        "event",
        "--account",
        "kaunas",
        "--title",
        "Webinar: open access",
        "--summary",
        "For academic librarians.",
        "--content",
        "<p>Join us online.</p>",
        "--language",
        "lv",
        "--start",
        `${YEAR}-05-05T14:00`,
        "--end",
        `${YEAR}-05-05T15:00`,
        "--time-zone",
        "Europe/Riga",
        "--online",
        "https://meet.example/oa",
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const iri = created.stdout.trim();
    expect(iri).toMatch(/\/users\/kaunas\/events\//);
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) });
    expect(item?.startsAt?.toISOString()).toBe(`${YEAR}-05-05T11:00:00.000Z`);
    expect(item?.summary).toBe(
      `${YEAR}. gada 5. maijs, 14:00–15:00 GMT+3 (Europe/Riga) · Tiešsaistē. For academic librarians.`,
    );
    const bad = await runCli(
      [
        "posts",
        "create",
        "--type",
        "meeting",
        "--account",
        "kaunas",
        "--title",
        "x",
        "--summary",
        "y",
        "--content",
        "z",
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--type must be one of article, event, resource, practice, webcast, got "meeting"',
    );
  }, 60_000);
});
