import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { postToInbox } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/**
 * Issue 7, finding 3: malformed activities answered 500 and strings PostgreSQL cannot store were
 * lost (and retried forever). Each must get a 4xx, signed or not, and leave nothing queued.
 */
describe("malformed activities", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let peer: Account;
  let peerId: string;
  let n = 0;

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess(), startInProcess()]);
    await createAccount(home.db, { username: "lib", name: "Home library" });
    peer = await createAccount(remote.db, { username: "peer", name: "Peer library" });
    peerId = new URL("/users/peer", remote.url).href;
  });
  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  const post = async (body: string, signed: boolean) =>
    (await postToInbox(home, body, signed ? { instance: remote, account: peer } : undefined)).status;

  const create = (extra: Record<string, unknown> = {}, object: Record<string, unknown> = {}) => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${peerId}/activities/${++n}`,
    type: "Create",
    actor: peerId,
    object: {
      id: `${peerId}/notes/${n}`,
      type: "Note",
      attributedTo: peerId,
      content: "<p>hi</p>",
      ...object,
    },
    ...extra,
  });

  it("never answers 5xx to malformed values, unsigned or signed; refuses what cannot be processed with 400", async () => {
    // [name, body, must be refused with 400 even when signed]
    const bodies: [string, string, boolean][] = [
      ["published: 0", JSON.stringify(create({}, { published: 0 })), false],
      ["@value object", JSON.stringify(create({}, { content: { "@value": 5 } })), false],
      ['@context "foo"', JSON.stringify(create({ "@context": "foo" })), true],
      ["@context number", JSON.stringify(create({ "@context": 5 })), true],
      ["id not a URL", JSON.stringify(create({ id: "not a url" })), false],
      ["actor an object of nonsense", JSON.stringify(create({ actor: { id: 5 } })), false],
      ["NUL in content", JSON.stringify(create({}, { content: "a\u0000b" })), true],
      ["lone surrogate", JSON.stringify(create({}, { content: "x" })).replace('"x"', '"\\ud800"'), true],
      ["NUL in a key", JSON.stringify({ ...create(), "a\u0000": 1 }), true],
      // Accepted once, then dropped when Fedify's queue parsed it again (found by fuzzing).
      ["id a number", JSON.stringify(create({}, { id: 5 })), true],
      [
        "tag id an object",
        JSON.stringify(create({}, { tag: [{ type: "Hashtag", "@id": { "@id": 5 } }] })),
        true,
      ],
    ];
    const statuses: string[] = []; // for the failure message
    for (const [name, body, refused] of bodies) {
      for (const signed of [false, true]) {
        const status = await post(body, signed);
        const label = `${name}, ${signed ? "signed" : "unsigned"}`;
        statuses.push(`${label}: ${status}`);
        expect(status, label).toBeLessThan(500);
        // Unsigned requests are refused either way (400 before, 401 at the signature check).
        if (refused || !signed) expect(status, label).toBeGreaterThanOrEqual(400);
        if (refused) expect(status, label).toBe(400);
      }
    }
    const [row] = await home.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM queue_messages WHERE message::text LIKE '%\\u0000%'`;
    expect(row?.n).toBe(0);
  });

  it("still takes a well-formed signed activity afterwards", async () => {
    expect(await post(JSON.stringify(create()), true)).toBe(202);
  });
});
