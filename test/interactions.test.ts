import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import type { Item } from "../server/domain/items.ts";
import { publishPost } from "../server/services/publishing.ts";
import { postToInbox } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

type Counts = { likes: number; announces: number; replies: number };

/**
 * Likes, boosts and replies of our items from actors we do not follow, signed with the real keys
 * of a second instance and sent over HTTP.
 */
describe("likes, boosts and replies", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let reader: Account;
  let other: Account;
  let item: Item;
  let readerId: string;
  let otherId: string;
  let n = 0;

  async function send(account: Account, activity: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", ...activity });
    return (await postToInbox(home, body, { instance: remote, account })).status;
  }

  async function counts(): Promise<Counts> {
    const response = await fetch(new URL("/api/v1/items", home.url));
    const body = (await response.json()) as { items: { id: string; counts: Counts }[] };
    const found = body.items.find((i) => i.id === item.iri);
    if (!found) throw new Error("item not listed");
    return found.counts;
  }

  const until = (expected: Partial<Counts>, what: string) =>
    waitFor(
      async () => {
        const now = await counts();
        return Object.entries(expected).every(([k, v]) => now[k as keyof Counts] === v) ? now : null;
      },
      { what },
    );

  const like = (actor: string, id = `${actor}#likes/${++n}`) => ({
    id,
    type: "Like",
    actor,
    object: item.iri,
  });

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess(), startInProcess()]);
    const library = await createAccount(home.db, { username: "kaunas", name: "Kaunas library" });
    reader = await createAccount(remote.db, { username: "reader", name: "A reader" });
    other = await createAccount(remote.db, { username: "other", name: "Someone else" });
    readerId = new URL("/users/reader", remote.url).href;
    otherId = new URL("/users/other", remote.url).href;
    item = await publishPost(home, library, {
      title: "Reading week",
      summary: "Events all week.",
      language: "en",
      content: "<p>Join.</p>",
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  it("counts a Like once, however often it is sent, and takes it back on Undo", async () => {
    const first = like(readerId);
    expect(await send(reader, first)).toBe(202);
    await until({ likes: 1 }, "the like counted");
    // The same Like again, and a second Like by the same actor: still one.
    await send(reader, first);
    await send(reader, like(readerId));
    await send(other, like(otherId));
    await until({ likes: 2 }, "two actors' likes");
    expect((await counts()).likes).toBe(2);

    // Someone else cannot undo the reader's like.
    await send(other, { id: `${otherId}#undo/${++n}`, type: "Undo", actor: otherId, object: first });
    await send(reader, { id: `${readerId}#undo/${++n}`, type: "Undo", actor: readerId, object: first });
    await until({ likes: 1 }, "the like taken back");
    const page = await (await fetch(item.iri, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain('<dd data-count="likes">1</dd>');
  });

  it("counts an Announce of our article and its Undo by id alone", async () => {
    const id = `${readerId}/statuses/${++n}/activity`;
    await send(reader, { id, type: "Announce", actor: readerId, object: item.iri, to: ["as:Public"] });
    await until({ announces: 1 }, "the boost counted");
    await send(reader, { id: `${readerId}#undo/${++n}`, type: "Undo", actor: readerId, object: id });
    await until({ announces: 0 }, "the boost taken back");
  });

  it("ignores likes of objects that are not ours, and likes whose id is on another server", async () => {
    expect(await send(reader, { ...like(readerId), object: "https://elsewhere.example/notes/1" })).toBe(202);
    await send(reader, like(readerId, "https://elsewhere.example/likes/1"));
    // A later, valid like (the reader took its first one back) shows the earlier ones were handled.
    await send(reader, like(readerId));
    const now = await until({ likes: 2 }, "only the valid like counted");
    expect(now.likes).toBe(2);
  });

  it("stores a reply to our article from an actor we do not follow and counts it", async () => {
    const noteId = `${readerId}/notes/${++n}`;
    const status = await send(reader, {
      id: `${noteId}/activity`,
      type: "Create",
      actor: readerId,
      object: {
        id: noteId,
        type: "Note",
        attributedTo: readerId,
        inReplyTo: item.iri,
        content: "<p>See you there!</p>",
        published: new Date().toISOString(),
        to: ["https://www.w3.org/ns/activitystreams#Public"],
      },
    });
    expect(status).toBe(202);
    await until({ replies: 1 }, "the reply counted");
    const stored = await home.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, noteId) });
    expect(stored?.inReplyTo).toBe(item.iri);
    expect(stored?.content).toBe("<p>See you there!</p>");
    // Replies are not listed as posts of their own.
    const listed = (await (await fetch(new URL("/api/v1/items", home.url))).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((i) => i.id)).not.toContain(noteId);
  });
});
