import { Temporal } from "@js-temporal/polyfill";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { createDraft, findDraft } from "../server/domain/drafts.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { findItemByIri } from "../server/domain/items.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { followRemote } from "../server/services/following.ts";
import { publishDueDrafts } from "../server/services/scheduled-publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
import type { WebClient } from "./support/web-client.ts";

/** "Publish later" on a draft, over real HTTP; the worker publishes it when due and it federates. */
describe("scheduled publishing of drafts", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;
  let editor: WebClient;
  const base = "/admin/accounts/kaunas";
  const fields = {
    type: "article",
    title: "Skaitmeninio raštingumo savaitė",
    summary: "Kviečiame bibliotekininkus į skaitmeninio raštingumo mokymus.",
    content: "Mokymai vyks visose Kauno rajono bibliotekose.",
    format: "markdown",
    language: "lt",
  } satisfies PostInput;
  /** A local date-time field's value `ms` from now, in Vilnius. */
  const vilniusIn = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(Date.now() + ms)
      .toZonedDateTimeISO("Europe/Vilnius")
      .toPlainDateTime()
      .toString({ smallestUnit: "second" });

  beforeAll(async () => {
    [a, b] = await Promise.all([startInProcess(), startInProcess()]);
    library = await createAccount(a.db, { username: "kaunas", name: "Kauno rajono biblioteka" });
    const hub = await createAccount(b.db, { username: "hub", name: "Baltic hub" });
    await followRemote(b, hub, new URL("/users/kaunas", a.url).href);
    await waitFor(async () => (await listFollowing(b.db, hub.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
    await signedIn(a.db, a.url, "admin");
    editor = await signedIn(a.db, a.url, "editor");
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("refuses a time in the past, a zone that does not exist and an unpublishable draft, naming the field", async () => {
    const draft = await createDraft(a.db, library.id, { input: { ...fields, title: "" } });
    await editor.page(`${base}/drafts/${draft.id}`);
    const past = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      schedule: "1",
      publishAt: vilniusIn(-3_600_000),
      publishAtZone: "Europe/Vilnius",
    });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("publishAt: must be in the future");
    const zone = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      schedule: "1",
      publishAt: vilniusIn(3_600_000),
      publishAtZone: "Mars/Olympus",
    });
    expect(zone.status).toBe(400);
    expect(await zone.text()).toContain("publishAtZone");
    const untitled = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      title: "",
      type: "event",
      schedule: "1",
      publishAt: vilniusIn(3_600_000),
      publishAtZone: "Europe/Vilnius",
    });
    expect(untitled.status).toBe(400);
    // Nothing was scheduled by any of them.
    expect((await findDraft(a.db, library.id, draft.id))?.publishAt).toBeNull();
  });

  it("schedules a draft from the editor, shows and cancels the schedule, and keeps the draft", async () => {
    const draft = await createDraft(a.db, library.id, { input: fields });
    await editor.page(`${base}/drafts/${draft.id}`);
    const at = vilniusIn(3 * 3_600_000);
    const scheduled = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      schedule: "1",
      publishAt: at,
      publishAtZone: "Europe/Vilnius",
    });
    expect(scheduled.status).toBe(303);
    const page = await editor.page(scheduled.headers.get("location") ?? "");
    expect(page.html).toContain("Scheduled: the draft will be published");
    expect(page.html).toContain("Scheduled for");
    expect(page.html).toContain(`value="${at.slice(0, 16)}"`);
    expect((await editor.page(base)).html).toContain("Scheduled for");
    const stored = await findDraft(a.db, library.id, draft.id);
    expect(Math.abs((stored?.publishAt?.getTime() ?? 0) - (Date.now() + 3 * 3_600_000))).toBeLessThan(
      120_000,
    );
    const cancelled = await editor.postForm(`${base}/drafts/${draft.id}/unschedule`, {});
    expect(cancelled.status).toBe(303);
    expect((await findDraft(a.db, library.id, draft.id))?.publishAt).toBeNull();
    expect(await findDraft(a.db, library.id, draft.id)).toBeDefined();
  });

  it("the worker publishes a due draft once, and its Create reaches the follower", async () => {
    const draft = await createDraft(a.db, library.id, {
      input: { ...fields, title: "Vasaros skaitymo iššūkis" },
    });
    await editor.page(`${base}/drafts/${draft.id}`);
    const scheduled = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      title: "Vasaros skaitymo iššūkis",
      schedule: "1",
      publishAt: vilniusIn(2_000),
      publishAtZone: "Europe/Vilnius",
    });
    expect(scheduled.status).toBe(303);
    // The worker's own loop (every 15 s) takes it: no call from the test.
    await waitFor(async () => !(await findDraft(a.db, library.id, draft.id)), {
      what: "the scheduled draft published",
      timeoutMs: 45_000,
    });
    const published = await a.db.query.items.findFirst({
      where: (items, { eq }) => eq(items.title, "Vasaros skaitymo iššūkis"),
    });
    expect(published?.accountId).toBe(library.id);
    await waitFor(async () => findItemByIri(b.db, published?.iri ?? ""), {
      what: "the follower got the Create",
    });
    // Nothing is left to publish again.
    expect(await publishDueDrafts(a, new Date(Date.now() + 60_000))).toBe(0);
  }, 60_000);

  it("a due draft that no longer passes the checks goes back to being a draft, with the reason", async () => {
    const draft = await createDraft(a.db, library.id, { input: { ...fields, title: "Vėliau sugadintas" } });
    // As if the saved input changed behind the schedule's back (an older version's draft).
    await a.db.execute(
      sql`UPDATE drafts SET publish_at = now() - interval '1 minute', input = input || '{"tags":["not a tag!"]}' WHERE id = ${draft.id}`,
    );
    // This call or the worker's loop, whichever claims it first: neither publishes it.
    expect(await publishDueDrafts(a)).toBe(0);
    const after = await waitFor(async () => {
      const row = await findDraft(a.db, library.id, draft.id);
      return row?.scheduleError?.includes("tag") && row;
    });
    expect(after?.publishAt).toBeNull();
    expect(after?.scheduleError).toContain("tag");
    const page = await editor.page(`${base}/drafts/${draft.id}`);
    expect(page.html).toContain("It could not be published when it was due");
  });
});
