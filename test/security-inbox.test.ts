import { request as httpRequest } from "node:http";
import { signRequest } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { items } from "../server/db/schema/index.ts";
import { type Account, createAccount, getKeyPairs } from "../server/domain/accounts.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { createPost, preparePost } from "../server/domain/posts.ts";
import { followRemote } from "../server/services/following.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

/**
 * DESIGN.md §5 rules 1–4 against a real instance over HTTP. The "remote" side is a second
 * instance of ours: its actors and keys are real, and we sign hand-made activities with them.
 */
describe("inbox security", () => {
  let home: InProcessInstance; // the instance under attack
  let remote: InProcessInstance; // hosts the honest "peer" and the attacker "mallory"
  let peer: Account;
  let mallory: Account;
  let peerId: string;
  let malloryId: string;
  let sharedInbox: URL;
  let counter = 0;

  async function signer(account: Account, spec?: "rfc9421" | "draft-cavage-http-signatures-12") {
    const [rsa] = await getKeyPairs(remote.db, account.id);
    if (!rsa) throw new Error("no key");
    const keyId = new URL(`${new URL(`/users/${account.username}`, remote.url).href}#main-key`);
    return { key: rsa.privateKey, keyId, spec };
  }

  async function post(
    body: unknown,
    sign?: Awaited<ReturnType<typeof signer>>,
    raw?: string,
  ): Promise<Response> {
    const request = new Request(sharedInbox, {
      method: "POST",
      headers: { "Content-Type": "application/activity+json", Accept: "application/activity+json" },
      body: raw ?? JSON.stringify(body),
    });
    return fetch(sign ? await signRequest(request, sign.key, sign.keyId, { spec: sign.spec }) : request);
  }

  /** Waits until the home instance has handled everything queued (inbox work is asynchronous). */
  async function drained(): Promise<void> {
    await waitFor(
      async () => {
        const [row] = await home.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM queue_messages`;
        return row?.n === 0;
      },
      { what: "the inbox queue to drain" },
    );
  }

  function note(author: string, id: string, content: string) {
    return {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${id}#create-${++counter}`,
      type: "Create",
      actor: author,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: {
        id,
        type: "Note",
        attributedTo: author,
        content,
        published: new Date().toISOString(),
        to: ["https://www.w3.org/ns/activitystreams#Public"],
      },
    };
  }

  /** The peer's own Update of its profile, with the given fields. */
  function peerProfileUpdate(fields: Record<string, unknown>) {
    return {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peerId}#profile-${++counter}`,
      type: "Update",
      actor: peerId,
      object: {
        id: peerId,
        type: "Organization",
        preferredUsername: "peer",
        inbox: `${peerId}/inbox`,
        ...fields,
      },
    };
  }

  async function storedContent(iri: string): Promise<string | undefined> {
    const row = await home.db.query.items.findFirst({ where: eq(items.iri, iri) });
    return row?.content;
  }

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess(), startInProcess()]);
    sharedInbox = new URL("/inbox", home.url);
    const lib = await createAccount(home.db, { username: "lib", name: "Home library" });
    peer = await createAccount(remote.db, { username: "peer", name: "Peer library" });
    mallory = await createAccount(remote.db, { username: "mallory", name: "Mallory" });
    peerId = new URL("/users/peer", remote.url).href;
    malloryId = new URL("/users/mallory", remote.url).href;
    // The home library follows both, so their posts would be kept if the rules allowed them.
    await followRemote(home, lib, peerId);
    await followRemote(home, lib, malloryId);
    await waitFor(async () => (await listFollowing(home.db, lib.id)).every((f) => f.state === "accepted"), {
      what: "follows accepted",
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  it("accepts a correctly signed Create from a followed actor (the baseline the other tests break)", async () => {
    const id = `${peerId}/notes/baseline`;
    const response = await post(note(peerId, id, "<p>Hello from the peer</p>"), await signer(peer));
    expect(response.status).toBe(202);
    await waitFor(async () => (await storedContent(id))?.includes("Hello from the peer"), {
      what: "baseline stored",
    });
  });

  it("keeps the language a remote object declares in contentMap", async () => {
    const id = `${peerId}/notes/lithuanian`;
    const activity = note(peerId, id, "<p>Sveiki, bibliotekininkai!</p>");
    Object.assign(activity.object, { contentMap: { lt: "<p>Sveiki, bibliotekininkai!</p>" } });
    await post(activity, await signer(peer));
    await waitFor(async () => (await storedContent(id)) !== undefined, { what: "lithuanian note" });
    const row = await home.db.query.items.findFirst({ where: eq(items.iri, id) });
    expect(row?.language).toBe("lt");
  });

  it("accepts RFC 9421 signatures as well as draft-cavage", async () => {
    const id = `${peerId}/notes/rfc9421`;
    const response = await post(note(peerId, id, "<p>Signed the new way</p>"), await signer(peer, "rfc9421"));
    expect(response.status).toBe(202);
    await waitFor(async () => (await storedContent(id))?.includes("new way"), { what: "rfc9421 stored" });
  });

  it("rejects an unsigned activity with 401 and stores nothing", async () => {
    const id = `${peerId}/notes/unsigned`;
    const response = await post(note(peerId, id, "<p>unsigned</p>"));
    expect(response.status).toBe(401);
    await drained();
    expect(await storedContent(id)).toBeUndefined();
  });

  it("rejects an activity whose signing key belongs to someone other than its actor", async () => {
    const id = `${peerId}/notes/impersonated`;
    const response = await post(note(peerId, id, "<p>Mallory pretending</p>"), await signer(mallory));
    expect(response.status).toBe(401);
    await drained();
    expect(await storedContent(id)).toBeUndefined();
  });

  it("rejects a tampered body (signature no longer matches)", async () => {
    const id = `${peerId}/notes/tampered`;
    const signed = await signRequest(
      new Request(sharedInbox, {
        method: "POST",
        headers: { "Content-Type": "application/activity+json" },
        body: JSON.stringify(note(peerId, id, "<p>original</p>")),
      }),
      (await signer(peer)).key,
      (await signer(peer)).keyId,
    );
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify(note(peerId, id, "<p>tampered</p>")),
    });
    expect((await fetch(tampered)).status).toBe(401);
    await drained();
    expect(await storedContent(id)).toBeUndefined();
  });

  it("ignores a Create whose object lives on another origin than the actor", async () => {
    const foreignId = new URL("/users/lib/articles/00000000-0000-7000-8000-000000000001", home.url).href;
    const response = await post(note(peerId, foreignId, "<p>planted on your origin</p>"), await signer(peer));
    expect(response.status).toBe(202);
    await drained();
    expect(await storedContent(foreignId)).toBeUndefined();
  });

  it("ignores a Create whose activity id is on another origin than the actor", async () => {
    // A real article of the peer that was never delivered: fetching it by id would succeed, so
    // only the activity-id rule stands between this activity and storage.
    const article = await createPost(
      remote.db,
      remote.url,
      peer,
      preparePost({
        title: "Never delivered",
        summary: "Fetched only if the activity were trusted.",
        content: "<p>body</p>",
        language: "en",
      }),
    );
    const activity = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: "https://elsewhere.example/activities/1",
      type: "Create",
      actor: peerId,
      object: article.iri,
    };
    expect((await post(activity, await signer(peer))).status).toBe(202);
    await drained();
    expect(await storedContent(article.iri)).toBeUndefined();
  });

  it("ignores a Create of an object attributed to someone else", async () => {
    const id = `${peerId}/notes/misattributed`;
    const activity = note(malloryId, id, "<p>Mallory posting as peer</p>");
    activity.object.attributedTo = peerId;
    expect((await post(activity, await signer(mallory))).status).toBe(202);
    await drained();
    expect(await storedContent(id)).toBeUndefined();
  });

  it("lets only the author update or delete an item; forged Update/Delete change nothing", async () => {
    const id = `${peerId}/notes/target`;
    await post(note(peerId, id, "<p>The real text</p>"), await signer(peer));
    await waitFor(async () => (await storedContent(id))?.includes("real text"), { what: "target stored" });

    const forgedUpdate = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${malloryId}#update-${++counter}`,
      type: "Update",
      actor: malloryId,
      object: { id, type: "Note", attributedTo: malloryId, content: "<p>Defaced</p>" },
    };
    expect((await post(forgedUpdate, await signer(mallory))).status).toBe(202);
    const forgedDelete = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${malloryId}#delete-${++counter}`,
      type: "Delete",
      actor: malloryId,
      object: id,
    };
    expect((await post(forgedDelete, await signer(mallory))).status).toBe(202);
    await drained();
    expect(await storedContent(id)).toContain("The real text");

    // The author's own Update and Delete do work.
    const realUpdate = { ...forgedUpdate, id: `${peerId}#update-${++counter}`, actor: peerId };
    realUpdate.object = {
      ...realUpdate.object,
      attributedTo: peerId,
      content: "<p>Revised by the author</p>",
    };
    await post(realUpdate, await signer(peer));
    await waitFor(async () => (await storedContent(id))?.includes("Revised by the author"), {
      what: "real update",
    });
    await post({ ...forgedDelete, id: `${peerId}#delete-${++counter}`, actor: peerId }, await signer(peer));
    await waitFor(async () => (await storedContent(id)) === undefined, { what: "real delete" });
  });

  it("processes the same activity id only once", async () => {
    const id = `${peerId}/notes/once`;
    const first = note(peerId, id, "<p>first delivery</p>");
    await post(first, await signer(peer));
    await waitFor(async () => (await storedContent(id))?.includes("first delivery"), {
      what: "first delivery",
    });
    const replay = { ...first, object: { ...first.object, content: "<p>second delivery</p>" } };
    expect((await post(replay, await signer(peer))).status).toBe(202);
    await drained();
    expect(await storedContent(id)).toContain("first delivery");
  });

  it("answers 413 to a body over 1 MB", async () => {
    const big = note(peerId, `${peerId}/notes/big`, `<p>${"x".repeat(1024 * 1024)}</p>`);
    const response = await post(big, await signer(peer));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than/);
  });

  it("answers 413 to a body over 1 MB sent in chunks, without a Content-Length", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        sharedInbox,
        { method: "POST", headers: { "Content-Type": "application/activity+json" } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      // The server may answer and close before every chunk is written.
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
      });
      const chunk = "x".repeat(64 * 1024);
      request.write(`{"type":"Create","content":"`);
      for (let i = 0; i < 20; i++) request.write(chunk);
      request.end(`"}`);
    });
    expect(status).toBe(413);
  });

  it("answers 400 to malformed JSON", async () => {
    const response = await post(undefined, undefined, "{ not json");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/not valid JSON/);
  });

  it("answers 400 to deeply nested documents and huge arrays", async () => {
    let nested: Record<string, unknown> = { type: "Note" };
    for (let i = 0; i < 100; i++) nested = { type: "Note", inReplyTo: nested };
    const deep = await post(
      { ...note(peerId, `${peerId}/notes/deep`, "x"), object: nested },
      await signer(peer),
    );
    expect(deep.status).toBe(400);
    const wide = await post(
      { ...note(peerId, `${peerId}/notes/wide`, "x"), to: Array(5000).fill(peerId) },
      await signer(peer),
    );
    expect(wide.status).toBe(400);
  });

  it("takes profile updates only from the actor itself", async () => {
    const updated = peerProfileUpdate({ name: "Peer library (renamed)" });
    await post(updated, await signer(peer));
    const forged = {
      ...updated,
      id: `${malloryId}#profile-${++counter}`,
      actor: malloryId,
      object: { ...updated.object, name: "Defaced by Mallory" },
    };
    await post(forged, await signer(mallory));
    await drained();
    const row = await home.db.query.remoteActors.findFirst({ where: (a, { eq }) => eq(a.iri, peerId) });
    expect(row?.name).toBe("Peer library (renamed)");
  });

  it("keeps only http(s) URLs of a remote actor and its objects: no javascript: or data: link reaches a page", async () => {
    const hostile = "javascript:fetch('/admin').then(r=>r.text()).then(alert)";
    const update = peerProfileUpdate({
      name: "Peer library (with a hostile link)",
      url: hostile,
      icon: { type: "Image", url: "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" },
    });
    expect((await post(update, await signer(peer))).status).toBe(202);
    const id = `${peerId}/notes/hostile-url`;
    const activity = note(peerId, id, "<p>A note with a hostile url</p>");
    Object.assign(activity.object, { url: "data:text/html,<script>alert(1)</script>" });
    await post(activity, await signer(peer));
    await drained();
    const actor = await home.db.query.remoteActors.findFirst({ where: (a, { eq }) => eq(a.iri, peerId) });
    expect(actor?.name).toBe("Peer library (with a hostile link)");
    expect(actor?.url).toBeNull();
    expect(actor?.iconUrl).toBeNull();
    const item = await home.db.query.items.findFirst({ where: eq(items.iri, id) });
    expect(item?.url).toBe(id);
    const page = await (await fetch(new URL("/received", home.url))).text();
    expect(page).toContain("A note with a hostile url");
    expect(page).not.toMatch(/javascript:|data:/i);
  });

  it("forgets an actor, and what it published, when it deletes itself", async () => {
    const id = `${malloryId}/notes/last-words`;
    await post(note(malloryId, id, "<p>Leaving</p>"), await signer(mallory));
    await waitFor(async () => (await storedContent(id)) !== undefined, { what: "mallory's note" });
    const deleteSelf = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${malloryId}#delete-self`,
      type: "Delete",
      actor: malloryId,
      object: malloryId,
    };
    expect((await post(deleteSelf, await signer(mallory))).status).toBe(202);
    await waitFor(async () => (await storedContent(id)) === undefined, { what: "mallory's items gone" });
    expect(
      await home.db.query.remoteActors.findFirst({ where: (a, { eq }) => eq(a.iri, malloryId) }),
    ).toBeUndefined();
  });
});
