import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { FOLLOW_ANSWER_DEADLINE_MS, findSourceActor, sourceState } from "../server/domain/hub-sources.ts";
import { createPost, preparePost } from "../server/domain/posts.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
import type { WebClient } from "./support/web-client.ts";

/** /admin/hub/sources: curators follow libraries (one, or a whole instance), see state and backfill, unfollow. */
describe("hub sources in the admin", () => {
  let hub: InProcessInstance;
  let library: InProcessInstance;
  let curator: WebClient;
  let vilnius: string;
  let kaunas: string;

  beforeAll(async () => {
    [hub, library] = await Promise.all([startInProcess({ instanceRole: "hub" }), startInProcess()]);
    await createAccount(hub.db, { username: "hub", name: "Baltic hub" });
    const v = await createAccount(library.db, {
      username: "vilnius",
      name: "Vilnius library",
      country: "LT",
    });
    await createAccount(library.db, { username: "kaunas", name: "Kaunas library", country: "LT" });
    vilnius = new URL("/users/vilnius", library.url).href;
    kaunas = new URL("/users/kaunas", library.url).href;
    // Published before the hub follows: only a backfill brings these in.
    for (const title of ["Vasaros skaitymai", "Skaitmeninio raštingumo kursai"]) {
      await createPost(
        library.db,
        library.url,
        v,
        preparePost({
          title,
          summary: "Bibliotekos naujienos bendruomenei.",
          content: "<p>Kviečiame visus bibliotekos lankytojus.</p>",
        }),
      );
    }
    await signedIn(hub.db, hub.url, "admin"); // set-up done: the admin pages answer
    curator = await signedIn(hub.db, hub.url, "curator");
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hub?.stop(), library?.stop()]);
  });

  it("is for curators and admins only", async () => {
    const editor = await signedIn(hub.db, hub.url, "editor");
    expect((await editor.page("/admin/hub/sources")).status).toBe(403);
    expect((await curator.page("/admin/hub/sources")).status).toBe(200);
  });

  it("follows a library, shows it accepted and backfilled, with its items", async () => {
    await curator.page("/admin/hub/sources");
    const response = await curator.postForm("/admin/hub/sources", { target: vilnius });
    expect(response.status).toBe(303);
    await waitFor(
      async () => {
        const { html } = await curator.page("/admin/hub/sources");
        return html.includes("accepted") && html.includes("2 stored of 2 read");
      },
      { what: "accepted and backfilled", timeoutMs: 30_000 },
    );
    const lithuanian = await curator.page("/admin/hub/sources?lang=lt");
    expect(lithuanian.html).toContain("priimta");
  });

  it("follows every library of an instance of ours at once", async () => {
    await curator.page("/admin/hub/sources");
    const response = await curator.postForm("/admin/hub/sources/instance", { instance: library.url.origin });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain(encodeURIComponent("2"));
    await waitFor(async () => (await curator.page("/admin/hub/sources")).html.includes("@kaunas@"), {
      what: "kaunas listed",
    });
  });

  it("refuses an instance that is not ours with a clear message", async () => {
    await curator.page("/admin/hub/sources");
    const response = await curator.postForm("/admin/hub/sources/instance", {
      instance: "http://127.0.0.1:9",
    });
    expect(response.status).toBe(400);
  });

  it("lets a curator set the country, and unfollow", async () => {
    await curator.page("/admin/hub/sources");
    await curator.postForm("/admin/hub/sources/country", { target: kaunas, country: "lv" });
    expect(await findSourceActor(hub.db, kaunas)).toMatchObject({ country: "LV", countryByCurator: true });
    await curator.page("/admin/hub/sources");
    const bad = await curator.postForm("/admin/hub/sources/country", { target: kaunas, country: "Latvia!" });
    expect(bad.status).toBe(400);
    await curator.page("/admin/hub/sources");
    expect((await curator.postForm("/admin/hub/sources/unfollow", { target: kaunas })).status).toBe(303);
    expect((await curator.page("/admin/hub/sources")).html).not.toContain("@kaunas@");
  });

  it("derives failing from a follow unanswered for a day or a failed backfill", () => {
    const old = new Date(Date.now() - FOLLOW_ANSWER_DEADLINE_MS - 1000);
    expect(sourceState("pending", old, null)).toBe("failing");
    expect(sourceState("pending", new Date(), null)).toBe("pending");
    expect(sourceState("accepted", old, { state: "failed" })).toBe("failing");
    expect(sourceState("accepted", old, { state: "done" })).toBe("accepted");
    expect(sourceState("rejected", old, null)).toBe("rejected");
  });
});
