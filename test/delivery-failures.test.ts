import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { deliveryProblems } from "../server/domain/delivery-failures.ts";
import { countFollowers } from "../server/domain/follows.ts";
import { publishPost } from "../server/services/publishing.ts";
import { insertFollowers } from "./support/followers.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
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

  it("records each refused delivery and shows it, by server, on the editors' dashboard", async () => {
    const problems = await waitFor(async () => {
      const rows = await deliveryProblems(instance.db);
      return rows.some((row) => row.host === `127.0.0.1:${gonePort}` && row.permanent > 0) && rows;
    });
    const gone = problems.find((row) => row.host === `127.0.0.1:${gonePort}`);
    expect(gone?.lastStatus).toBe(410);
    // The servers that took the post are not listed.
    expect(problems.map((row) => row.host)).toEqual([`127.0.0.1:${gonePort}`]);
    await signedIn(instance.db, instance.url, "admin");
    const editor = await signedIn(instance.db, instance.url, "editor");
    const home = await editor.page("/admin");
    expect(home.html).toContain("Delivery problems in the last 7 days");
    expect(home.html).toContain(`<th scope="row">127.0.0.1:${gonePort}</th>`);
    expect(home.html).toContain("HTTP 410: gave up");
    // The account's line: one post, four followers left.
    expect(home.html).toMatch(/@siauliai<\/span>\s*<\/th>\s*<td>1<\/td>\s*<td>4<\/td>/);
    expect(home.html).toContain("Reading week");
  });
});
