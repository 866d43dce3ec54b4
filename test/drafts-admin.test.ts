import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listDrafts } from "../server/domain/drafts.ts";
import { listFeedSources } from "../server/domain/feed-sources.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { followRemote } from "../server/services/following.ts";
import { type ImportSite, startImportSite } from "./support/import-site.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
import type { WebClient } from "./support/web-client.ts";

/** Drafts and imports in the admin, over real HTTP; a published draft federates to a follower. */
describe("drafts and imports in the admin", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let site: ImportSite;
  let library: Account;
  let editor: WebClient;
  const base = "/admin/accounts/vilnius";

  const draftIdOf = (location: string | null) => /\/drafts\/([0-9a-f-]{36})/.exec(location ?? "")?.[1] ?? "";

  beforeAll(async () => {
    [a, b, site] = await Promise.all([startInProcess(), startInProcess(), startImportSite()]);
    library = await createAccount(a.db, { username: "vilnius", name: "Vilniaus apskrities biblioteka" });
    const hub = await createAccount(b.db, { username: "hub", name: "Baltic hub" });
    await followRemote(b, hub, new URL("/users/vilnius", a.url).href);
    await waitFor(async () => (await listFollowing(b.db, hub.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
    await signedIn(a.db, a.url, "admin"); // an instance without an administrator sends everyone to /setup
    editor = await signedIn(a.db, a.url, "editor");
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), site?.close()]);
  });

  it("saves an unfinished new post as a draft, which is not public and opens prefilled", async () => {
    const form = await editor.page(`${base}/posts/new`);
    expect(form.html).toContain("Save draft");
    const saved = await editor.postForm(`${base}/posts`, {
      type: "article",
      title: "",
      summary: "Skaitymo klubas renkasi kas antrą ketvirtadienį.",
      content: "Pirmas **susitikimas**",
      format: "markdown",
      language: "lt",
      draft: "1",
    });
    expect(saved.status).toBe(303);
    const id = draftIdOf(saved.headers.get("location"));
    expect(saved.headers.get("location")).toBe(`${base}/drafts/${id}?saved=1`);
    const opened = await editor.page(saved.headers.get("location") ?? "");
    expect(opened.status).toBe(200);
    expect(opened.html).toContain("Draft saved.");
    expect(opened.html).toContain("Pirmas **susitikimas**");
    expect(opened.html).toMatch(/<option value="markdown" selected/);
    expect(opened.html).toMatch(/<button type="submit">Publish<\/button>/);
    // Listed on the account's admin page, nowhere public.
    expect((await editor.page(base)).html).toContain(`${base}/drafts/${id}`);
    const api = (await (await fetch(new URL("/api/v1/items", a.url))).json()) as { items: unknown[] };
    expect(api.items).toEqual([]);
    expect((await fetch(new URL("/users/vilnius", a.url), { headers: { Accept: "text/html" } })).status).toBe(
      200,
    );
  });

  it("shows a validation error inline on Publish and keeps the draft; then publishes it, and it federates", async () => {
    const [draft] = await listDrafts(a.db, library.id);
    if (!draft) throw new Error("no draft");
    await editor.page(`${base}/drafts/${draft.id}`);
    const fields = {
      type: "article",
      title: "",
      summary: "Skaitymo klubas renkasi kas antrą ketvirtadienį.",
      content: "Pirmas **susitikimas** vyks bibliotekos skaitykloje.",
      format: "markdown",
      language: "lt",
    };
    const invalid = await editor.postForm(`${base}/drafts/${draft.id}`, fields);
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toContain("title: must not be empty");
    expect(page).toContain("vyks bibliotekos skaitykloje"); // what was typed is kept
    expect(await listDrafts(a.db, library.id)).toHaveLength(1);

    const kept = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      title: "Skaitymo klubas",
      draft: "1",
    });
    expect(kept.status).toBe(303);
    expect((await listDrafts(a.db, library.id))[0]?.input.title).toBe("Skaitymo klubas");

    const published = await editor.postForm(`${base}/drafts/${draft.id}`, {
      ...fields,
      title: "Skaitymo klubas",
    });
    expect(published.status).toBe(303);
    const path = published.headers.get("location") ?? "";
    expect(path).toMatch(/^\/users\/vilnius\/articles\/[0-9a-f-]{36}$/);
    expect(await listDrafts(a.db, library.id)).toEqual([]);
    const iri = new URL(path, a.url).href;
    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) }),
      {
        what: "the published draft on B",
      },
    );
    expect(received).toMatchObject({ title: "Skaitymo klubas", language: "lt" });
    expect(received?.content).toContain("<strong>susitikimas</strong>");
    // The draft is gone: publishing it again finds nothing.
    expect((await editor.postForm(`${base}/drafts/${draft.id}`, fields)).status).toBe(404);
  });

  it("imports a web page from the account page into a draft, and says why a bad address fails", async () => {
    await editor.page(base);
    const url = site.url("/naujienos/vasaros-skaitymo-issukis");
    const imported = await editor.postForm(`${base}/imports/page`, { url });
    expect(imported.status).toBe(303);
    const id = draftIdOf(imported.headers.get("location"));
    const opened = await editor.page(`${base}/drafts/${id}`);
    expect(opened.html).toContain('value="Prasideda vasaros skaitymo iššūkis"');
    expect(opened.html).toContain(`Imported from <a href="${url}">`);
    expect(opened.html).toMatch(/<option value="html" selected/);
    expect(opened.html).toMatch(/<option value="lt" selected/);

    const again = await editor.postForm(`${base}/imports/page`, { url });
    expect(again.headers.get("location")).toBe(`${base}/drafts/${id}?existing=1`);

    const bad = await editor.postForm(`${base}/imports/page`, { url: site.url("/ataskaita.pdf") });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("url: is not a web page:");
    expect(html).toContain(`value="${site.url("/ataskaita.pdf")}"`);

    await editor.page(`${base}/drafts/${id}`);
    const deleted = await editor.postForm(`${base}/drafts/${id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(await listDrafts(a.db, library.id)).toEqual([]);
  });

  it("attaches, lists and removes website feeds, refusing a broken one with its error", async () => {
    await editor.page(`${base}/imports`);
    const broken = await editor.postForm(`${base}/feeds`, { url: site.url("/broken.xml"), mode: "draft" });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("is not a valid RSS or Atom feed");
    expect(await listFeedSources(a.db, library.id)).toEqual([]);

    const attached = await editor.postForm(`${base}/feeds`, { url: site.url("/feed.rss"), mode: "publish" });
    expect(attached.status).toBe(303);
    expect(attached.headers.get("location")).toBe(`${base}/imports?attached=1`);
    const list = await editor.page(`${base}/imports?attached=1`);
    expect(list.html).toContain("Feed attached");
    expect(list.html).toContain(site.url("/feed.rss"));
    expect(list.html).toContain("publications (sent to followers)");
    const [feed] = await listFeedSources(a.db, library.id);
    const removed = await editor.postForm(`${base}/feeds/${feed?.id}/delete`, {});
    expect(removed.status).toBe(303);
    expect(await listFeedSources(a.db, library.id)).toEqual([]);
  });

  it("lets only editors and admins at drafts and imports, and checks the CSRF token", async () => {
    const curator = await signedIn(a.db, a.url, "curator");
    expect((await curator.page(`${base}/imports`)).status).toBe(403);
    expect((await curator.page("/admin")).status).toBe(200); // the rest of the admin stays open to curators
    const forged = await editor.postForm(
      `${base}/imports/page`,
      { url: site.url("/naujienos") },
      { csrf: "x" },
    );
    expect(forged.status).toBe(403);
  });
});
