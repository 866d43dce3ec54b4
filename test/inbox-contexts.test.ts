import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { items } from "../server/db/schema/index.ts";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { followRemote } from "../server/services/following.ts";
import { postToInbox } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

/**
 * Issue 7, finding 2: unsigned POSTs made the inbox fetch (and cache) any @context they named.
 * The context host here is a stand-in for the outside world (a loopback server we own).
 */
describe("foreign JSON-LD contexts in the inbox", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let peer: Account;
  let peerId: string;
  let contextHost: Server;
  let contextBase = "";
  const fetched: string[] = [];
  let n = 0;

  beforeAll(async () => {
    const big = JSON.stringify({
      "@context": Object.fromEntries(
        Array.from({ length: 40_000 }, (_, i) => [`t${i}`, `http://x.example/${i}`]),
      ),
    });
    contextHost = createServer((req, res) => {
      fetched.push(req.url ?? "");
      const body = req.url?.startsWith("/big")
        ? big
        : JSON.stringify({ "@context": { libraryTerm: "https://lib.example/ns#libraryTerm" } });
      res.writeHead(200, { "Content-Type": "application/ld+json" }).end(body);
    });
    await new Promise<void>((resolve) => contextHost.listen(0, "127.0.0.1", resolve));
    contextBase = `http://127.0.0.1:${(contextHost.address() as AddressInfo).port}`;
    [home, remote] = await Promise.all([startInProcess(), startInProcess()]);
    const lib = await createAccount(home.db, { username: "lib", name: "Home library" });
    peer = await createAccount(remote.db, { username: "peer", name: "Peer library" });
    peerId = new URL("/users/peer", remote.url).href;
    await followRemote(home, lib, peerId);
    await waitFor(async () => (await listFollowing(home.db, lib.id)).every((f) => f.state === "accepted"), {
      what: "follow accepted",
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
    await new Promise((resolve) => contextHost?.close(resolve));
  });

  function create(context: string) {
    const id = `${peerId}/notes/${++n}`;
    return {
      id,
      body: JSON.stringify({
        "@context": ["https://www.w3.org/ns/activitystreams", context],
        id: `${id}/activity`,
        type: "Create",
        actor: peerId,
        object: { id, type: "Note", attributedTo: peerId, content: `<p>note ${n}</p>`, libraryTerm: "x" },
      }),
    };
  }

  const post = async (body: string, signed: boolean) =>
    (await postToInbox(home, body, signed ? { instance: remote, account: peer } : undefined)).status;

  const cachedContexts = async () =>
    (
      await home.database.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM fedify_kv_v2 WHERE key[3] LIKE ${`${contextBase}%`}`
    )[0]?.n ?? 0;

  it("refuses unsigned activities naming foreign contexts without fetching them", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(create(`${contextBase}/big-${i}.jsonld`).body, false)),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(fetched).toEqual([]);
    expect(await cachedContexts()).toBe(0);
  });

  it("refuses a foreign context behind a forged signature, fetching only the key", async () => {
    const forged = new Request(new URL("/inbox", home.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json", Signature: 'keyId="x",signature="AAAA"' },
      body: create(`${contextBase}/big-forged.jsonld`).body,
    });
    expect((await fetch(forged)).status).toBe(401);
    expect(fetched).toEqual([]);
  });

  it("loads a small foreign context once the signature holds, and caches it", async () => {
    const first = create(`${contextBase}/small.jsonld`);
    expect(await post(first.body, true)).toBe(202);
    await waitFor(async () => home.db.query.items.findFirst({ where: eq(items.iri, first.id) }), {
      what: "the note stored",
    });
    const second = create(`${contextBase}/small.jsonld`);
    expect(await post(second.body, true)).toBe(202);
    await waitFor(async () => home.db.query.items.findFirst({ where: eq(items.iri, second.id) }), {
      what: "the second note stored",
    });
    expect(fetched.filter((url) => url === "/small.jsonld")).toHaveLength(1);
    expect(await cachedContexts()).toBe(1);
  });

  it("never caches a huge context, even from a signed sender, and answers without a 5xx", async () => {
    const status = await post(create(`${contextBase}/big-signed.jsonld`).body, true);
    expect(status).toBeLessThan(500);
    expect(await cachedContexts()).toBe(1); // still only the small one
  });
});
