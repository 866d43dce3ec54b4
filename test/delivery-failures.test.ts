import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { countFollowers } from "../server/domain/follows.ts";
import { publishPost } from "../server/services/publishing.ts";
import { insertFollowers } from "./support/followers.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

/** DESIGN.md §5 rule 8: a 410 stops deliveries to the gone followers; others still get theirs. */
describe("permanent delivery failures (fake remote inboxes)", () => {
  let instance: InProcessInstance;
  let sink: InboxSink;
  let gonePort = 0;

  beforeAll(async () => {
    instance = await startInProcess();
    sink = await startInboxSink(3, 0, (port) => (port === gonePort ? 410 : 202));
    gonePort = sink.ports[0] ?? 0;
  });
  afterAll(async () => {
    await instance?.stop();
    await sink?.close();
  });

  it("removes followers whose inbox answers 410 Gone and keeps the rest", async () => {
    const account = await createAccount(instance.db, { username: "siauliai", name: "Šiauliai library" });
    await insertFollowers(instance.db, account.id, sink.ports, 2);
    expect(await countFollowers(instance.db, account.id)).toBe(6);
    await publishPost(instance, account, {
      title: "Reading week",
      summary: "Events all week.",
      language: "en",
      content: "<p>Join.</p>",
    });
    await waitFor(async () => (await countFollowers(instance.db, account.id)) === 4, {
      what: "gone followers removed",
    });
    const alivePorts = () => new Set(sink.deliveries.filter((d) => d.port !== gonePort).map((d) => d.port));
    await waitFor(async () => alivePorts().size === 2, { what: "deliveries to the live instances" });
  });
});
