import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { getInstanceKeyPairs, INSTANCE_ACTOR } from "../server/domain/instance-actor.ts";
import { followRemote } from "../server/services/following.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

const AS = { Accept: "application/activity+json" };

/** AUTHORIZED_FETCH (Mastodon's secure mode) on two instances federating with each other. */
describe("authorized fetch", () => {
  let a: InProcessInstance; // secure mode
  let b: InProcessInstance; // secure mode
  let open: InProcessInstance; // the default
  let library: Account;
  let articleUrl: string;

  beforeAll(async () => {
    [a, b, open] = await Promise.all([
      startInProcess({ authorizedFetch: true }),
      startInProcess({ authorizedFetch: true }),
      startInProcess(),
    ]);
    library = await createAccount(a.db, { username: "vilnius", name: "Vilnius library" });
    await createAccount(open.db, { username: "open", name: "Open library" });
    articleUrl = (
      await publishPost(a, library, {
        title: "Before",
        summary: "Published first.",
        content: "<p>x</p>",
        language: "en",
      })
    ).iri;
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), open?.stop()]);
  });

  it("answers 401 to unsigned GETs of actors, objects and collections, and serves pages as usual", async () => {
    for (const path of ["/users/vilnius", "/users/vilnius/followers", "/users/vilnius/outbox"]) {
      expect((await fetch(new URL(path, a.url), { headers: AS })).status, path).toBe(401);
    }
    expect((await fetch(articleUrl, { headers: AS })).status).toBe(401);
    const page = await fetch(new URL("/users/vilnius", a.url), { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Vilnius library");
    // The default mode serves everything unsigned.
    expect((await fetch(new URL("/users/open", open.url), { headers: AS })).status).toBe(200);
  });

  it("keeps the instance actor public, findable by WebFinger as host@host", async () => {
    const actor = (await (
      await fetch(new URL(`/users/${INSTANCE_ACTOR}`, a.url), { headers: AS })
    ).json()) as {
      type: string;
      publicKey: { id: string };
    };
    expect(actor.type).toBe("Application");
    expect(actor.publicKey.id).toContain(INSTANCE_ACTOR);
    const host = a.url.host;
    const jrd = (await (
      await fetch(new URL(`/.well-known/webfinger?resource=acct:${host}@${host}`, a.url))
    ).json()) as { links: { rel: string; href: string }[] };
    expect(jrd.links.find((l) => l.rel === "self")?.href).toBe(
      new URL(`/users/${INSTANCE_ACTOR}`, a.url).href,
    );
  });

  it("serves JSON to a GET signed by another server's key", async () => {
    const [rsa] = await getInstanceKeyPairs(b.db);
    if (!rsa) throw new Error("no key");
    const keyId = new URL(`${new URL(`/users/${INSTANCE_ACTOR}`, b.url).href}#main-key`);
    const signed = await signRequest(new Request(articleUrl, { headers: AS }), rsa.privateKey, keyId);
    const response = await fetch(signed);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(articleUrl);
  });

  it("federates between two secure-mode instances: signed lookups and key fetches", async () => {
    const hub = await createAccount(b.db, { username: "hub", name: "Hub" });
    await followRemote(b, hub, new URL("/users/vilnius", a.url).href);
    await waitFor(async () => (await listFollowing(b.db, hub.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
    const item = await publishPost(a, library, {
      title: "After the follow",
      language: "en",
      summary: "Delivered to a server that signs its fetches.",
      content: "<p>y</p>",
    });
    await waitFor(async () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) }), {
      what: "the article on B",
    });
  });
});
