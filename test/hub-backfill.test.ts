import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { items } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { findBackfill } from "../server/domain/backfills.ts";
import { findSourceActor } from "../server/domain/hub-sources.ts";
import { BACKFILL_LIMITS, runBackfill } from "../server/services/backfill.ts";
import { backfillSource, followSource } from "../server/services/hub-sources.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

const AS = "https://www.w3.org/ns/activitystreams";

/**
 * A hostile source: its outbox loops, has a huge page, lists others' activities and objects,
 * links to other servers, private addresses and `javascript:`, and carries scripts. The hub's
 * backfill stores only the source's own, sanitized objects and stays within its bounds.
 */
describe("backfill of a hostile outbox", () => {
  let hub: InProcessInstance;
  let server: Server;
  let origin: string;
  let actor: string;

  const note = (id: string, extra: Record<string, unknown> = {}) => ({
    id: `${origin}${id}`,
    type: "Note",
    attributedTo: actor,
    content: "<p>Bibliotekos naujienos apie skaitymo skatinimą ir skaitmeninius įgūdžius.</p>",
    published: new Date().toISOString(),
    ...extra,
  });
  const create = (object: unknown, by = actor, id = `${(object as { id: string }).id}#create`) => ({
    id,
    type: "Create",
    actor: by,
    object,
  });

  function documents(): Record<string, unknown> {
    const mallory = `${origin}/users/mallory`;
    return {
      "/users/evil": {
        "@context": AS,
        id: actor,
        type: "Person",
        preferredUsername: "evil",
        inbox: `${actor}/inbox`,
        outbox: `${actor}/outbox`,
        indexable: true,
      },
      "/users/evil/outbox": {
        "@context": AS,
        id: `${actor}/outbox`,
        type: "OrderedCollection",
        totalItems: 100_000,
        first: `${actor}/outbox?page=1`,
      },
      "/users/evil/outbox?page=1": {
        "@context": AS,
        id: `${actor}/outbox?page=1`,
        type: "OrderedCollectionPage",
        next: `${actor}/outbox?page=2`,
        orderedItems: [
          create(note("/notes/good")),
          create(note("/notes/script", { content: '<p onclick="x()">ok<script>alert(1)</script></p>' })),
          create(note("/notes/by-mallory", { attributedTo: mallory }), mallory),
          create(note("/notes/planted", { attributedTo: mallory })),
          create({ ...note("/x"), id: "https://elsewhere.example/notes/1" }),
          create(note("/notes/travel", { type: "Travel" })),
          "javascript:alert(1)",
          "http://10.1.2.3/notes/private",
          "https://elsewhere.example/notes/2",
          `${origin}/notes/by-url`,
        ],
      },
      "/notes/by-url": { "@context": AS, ...note("/notes/by-url") },
      // A huge page that points back to the first one.
      "/users/evil/outbox?page=2": {
        "@context": AS,
        id: `${actor}/outbox?page=2`,
        type: "OrderedCollectionPage",
        next: `${actor}/outbox?page=1`,
        orderedItems: Array.from({ length: 1000 }, (_, i) => create(note(`/notes/bulk-${i}`))),
      },
    };
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      const body = documents()[request.url ?? ""];
      if (request.method === "POST") return void response.writeHead(202).end();
      if (!body) return void response.writeHead(404).end();
      response.writeHead(200, { "Content-Type": "application/activity+json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    actor = `${origin}/users/evil`;
    hub = await startInProcess({ instanceRole: "hub" });
    await createAccount(hub.db, { username: "hub", name: "Hub" });
    await followSource(hub, actor);
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("stores only the source's own objects, sanitized, within its bounds, and finishes", async () => {
    const { backfill } = await backfillSource(hub, actor, { queue: false });
    await runBackfill(hub, { kind: "backfill", backfillId: backfill.id });
    const done = await findBackfill(hub.db, backfill.id);
    expect(done?.state, done?.error ?? "").toBe("done");
    expect(done?.fetched).toBeLessThanOrEqual(BACKFILL_LIMITS.items);
    expect(done?.total).toBe(BACKFILL_LIMITS.items);
    const source = await findSourceActor(hub.db, actor);
    const stored = await hub.db.query.items.findMany({ where: eq(items.remoteActorId, source?.id ?? "") });
    const iris = stored.map((i) => i.iri);
    expect(iris).toContain(`${origin}/notes/good`);
    expect(iris).toContain(`${origin}/notes/by-url`);
    for (const refused of ["by-mallory", "planted", "travel", "private"]) {
      expect(iris).not.toContain(`${origin}/notes/${refused}`);
    }
    expect(iris.some((iri) => !iri.startsWith(origin))).toBe(false);
    // Page 1 (10 entries) + at most a page's worth of the huge page, then the loop ends the walk.
    const bulk = iris.filter((iri) => iri.includes("/notes/bulk-")).length;
    expect(bulk).toBeLessThanOrEqual(BACKFILL_LIMITS.itemsPerPage);
    expect(bulk).toBeGreaterThan(0);
    const script = stored.find((i) => i.iri.endsWith("/notes/script"));
    expect(script?.content).not.toMatch(/script|onclick/);
    const anyForeign = await hub.db.query.items.findFirst({ where: like(items.iri, "https://elsewhere%") });
    expect(anyForeign).toBeUndefined();
  });

  it("records a failure when the outbox is on another server", async () => {
    const json = documents();
    (json["/users/evil"] as Record<string, unknown>).outbox = "https://elsewhere.example/outbox";
    const original = server.listeners("request")[0] as (...args: unknown[]) => void;
    server.removeAllListeners("request");
    server.on("request", (request, response) => {
      if (request.url === "/users/evil") {
        response.writeHead(200, { "Content-Type": "application/activity+json" });
        return void response.end(JSON.stringify(json["/users/evil"]));
      }
      original(request, response);
    });
    const { backfill } = await backfillSource(hub, actor, { queue: false });
    await runBackfill(hub, { kind: "backfill", backfillId: backfill.id });
    const failed = await findBackfill(hub.db, backfill.id);
    expect(failed?.state).toBe("failed");
    expect(failed?.error).toContain("elsewhere.example");
  });
});
