import { signRequest } from "@fedify/fedify";
import { Note } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectToItemFields } from "../server/ingest/remote-object.ts";
import { drained, type FuzzWorld, PUBLIC, startFuzzWorld } from "./support/fuzz-target.ts";
import { waitFor } from "./support/ports.ts";

/**
 * Regressions found by the inbox fuzzer (test/inbox-fuzz.test.ts): small bodies that blocked the
 * event loop for seconds to minutes, 413s that broke the sender's next request, and a handler
 * that threw (and was retried for hours) on a profile without an inbox.
 */
describe("inbox regressions found by fuzzing", () => {
  let world: FuzzWorld;
  let n = 0;

  beforeAll(async () => {
    world = await startFuzzWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });

  async function post(body: unknown, signed = false): Promise<{ status: number; ms: number; text: string }> {
    let request = new Request(new URL("/inbox", world.home.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body: JSON.stringify(body),
    });
    const { key, keyId } = world.signers.peer;
    if (signed) request = await signRequest(request, key, keyId);
    const started = performance.now();
    const response = await fetch(request);
    return { status: response.status, text: await response.text(), ms: performance.now() - started };
  }

  const like = (extra: Record<string, unknown>) => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${world.signers.peer.id}/likes/${++n}`,
    type: "Like",
    actor: world.signers.peer.id,
    object: world.homeItem,
    ...extra,
  });

  it("refuses, at once and unsigned, strings whose IRI resolution costs the square of their slashes", async () => {
    // 400 kB: JSON-LD's dot-segment removal took ~30 s on this before the signature was checked.
    const answer = await post(like({ object: "a/".repeat(200_000) }));
    expect(answer.status).toBe(400);
    // Refused by the inbox guard, before any JSON-LD work (the test's timeout would catch ~30 s).
    expect(answer.text).toMatch(/slashes/);
  });

  it("still takes a long article with 1,500 links (7,500 slashes) from a followed actor", async () => {
    const id = `${world.signers.peer.id}/notes/long-${++n}`;
    const content = Array.from(
      { length: 1500 },
      (_, i) => `<p><a href="https://example.org/${i}">${i}</a></p>`,
    );
    const answer = await post(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${id}/activity`,
        type: "Create",
        actor: world.signers.peer.id,
        object: {
          id,
          type: "Note",
          attributedTo: world.signers.peer.id,
          content: content.join(""),
          to: PUBLIC,
        },
      },
      true,
    );
    expect(answer.status).toBe(202);
    await waitFor(
      async () =>
        (await world.home.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, id) })) != null,
      { what: "the long article stored" },
    );
  });

  it("refuses more than 32 @context entries and scoped contexts, unsigned, at once", async () => {
    const many = await post(like({ "@context": Array(900).fill("https://www.w3.org/ns/activitystreams") }));
    expect(many.status).toBe(400);
    expect(many.text).toMatch(/@context entries/);
    // A term whose scoped context is applied again at each of its 999 uses (took 4 s unsigned).
    const terms = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`t${i}`, { "@id": `https://e.example/t${i}`, "@type": "@id" }]),
    );
    const scoped = await post(
      like({
        "@context": [
          "https://www.w3.org/ns/activitystreams",
          { x: { "@id": "https://e.example/x", "@context": terms } },
        ],
        object: Array.from({ length: 999 }, () => ({ x: { t1: "a" } })),
      }),
    );
    expect(scoped.status).toBe(400);
    expect(scoped.text).toMatch(/scoped contexts/);
    expect(scoped.ms).toBeLessThan(2_000);
  });

  it("closes the connection after a 413, so the sender's next request does not meet a dropped socket", async () => {
    const response = await fetch(new URL("/inbox", world.home.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body: "x".repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
  });

  it("reads only the start of a huge HTML title or summary", async () => {
    const html = `<p>${"<b>a</b> ".repeat(60_000)}</p>`; // 540 kB: minutes before, seconds uncut
    const nested = `${"<div>".repeat(3000)}deep`;
    // Only the start is parsed (the whole took minutes); the test's timeout would catch a regression.
    const fields = await objectToItemFields(new Note({ name: html, summary: nested, content: "<p>x</p>" }));
    expect(fields.title).toMatch(/^a a a/);
    expect(fields.summary).toBe("deep");
  });

  it("ignores a profile Update without an inbox instead of failing (and being retried)", async () => {
    const peer = world.signers.peer.id;
    const answer = await post(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer}#profile-${++n}`,
        type: "Update",
        actor: peer,
        object: { id: peer, type: "Organization", preferredUsername: "peer", name: "No inbox" },
      },
      true,
    );
    expect(answer.status).toBe(202);
    // A handler that throws is retried with backoff: its message would stay queued for minutes.
    await drained(world.home, 10_000);
    const row = await world.home.db.query.remoteActors.findFirst({ where: (a, { eq }) => eq(a.iri, peer) });
    expect(row?.name).toBe("Peer library");
    expect(row?.inboxUrl).toBe(`${peer}/inbox`);
  });
});
