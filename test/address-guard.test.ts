import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { guardedAgent } from "../server/ingest/address-guard.ts";
import { publishPost } from "../server/services/publishing.ts";
import { insertFollowers } from "./support/followers.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

/**
 * Issue 7, finding 7: deliveries follow the address rules of every other outgoing request.
 * Fedify delivers with the global fetch, so these requests go through the guard as deliveries do.
 * Names resolve through a resolver the test owns; 127.0.0.1 stands in for "a public address"
 * where the test says so, and every server contacted is the test's own on loopback.
 */
describe("the address guard on the global fetch (deliveries)", () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refuses = async (url: string, lookup?: (host: string) => Promise<string[]>) => {
    const before = hits;
    const agent = guardedAgent({ allowPrivateAddress: false, lookup });
    const error = await fetch(url, { dispatcher: agent } as RequestInit).then(
      () => null,
      (e: Error) => e,
    );
    await agent.close();
    expect(error, url).toBeInstanceOf(Error);
    expect(String((error?.cause as Error | undefined)?.message), url).toMatch(/refusing private address/);
    expect(hits, `${url} reached the server`).toBe(before);
  };

  it("refuses loopback in every spelling a URL allows", async () => {
    for (const host of ["127.0.0.1", "0x7f000001", "2130706433", "0177.0.0.1", "127.1", "[::1]"]) {
      await refuses(`http://${host}:${port}/inbox`);
    }
    await refuses(`http://[::ffff:127.0.0.1]:${port}/inbox`);
    await refuses(`http://0.0.0.0:${port}/inbox`);
  });

  it("refuses names that resolve to private, link-local, metadata or NAT64 addresses", async () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "192.168.0.9",
      "169.254.169.254",
      "100.64.0.1",
      "64:ff9b::7f00:1",
    ]) {
      await refuses(`http://inbox.rebind.test:${port}/inbox`, async () => [address]);
    }
    // One private address among public ones is enough to refuse: the OS may pick any.
    await refuses(`http://inbox.rebind.test:${port}/inbox`, async () => ["93.184.216.34", "127.0.0.1"]);
  });

  it("connects to the address it checked, not to what a second lookup would say", async () => {
    let lookups = 0;
    const agent = guardedAgent({
      allowPrivateAddress: false,
      // The name does not exist in real DNS: reaching the server proves the checked address was used.
      lookup: async () => {
        lookups++;
        return ["127.0.0.1"];
      },
      isAllowedAddress: (ip) => ip === "127.0.0.1",
    });
    const response = await fetch(`http://library.rebind.test:${port}/inbox`, {
      dispatcher: agent,
    } as RequestInit);
    expect(await response.text()).toBe("ok");
    expect(lookups).toBe(1);
    await agent.close();
  });
});

describe("deliveries through the address guard", () => {
  let instance: InProcessInstance;
  let sink: InboxSink;
  const original = getGlobalDispatcher();

  beforeAll(async () => {
    [instance, sink] = await Promise.all([startInProcess(), startInboxSink(1)]);
  });
  afterAll(async () => {
    setGlobalDispatcher(original);
    await instance?.stop();
    await sink?.close();
  });

  it("delivers to a host while it resolves to a public address and refuses it once it resolves to a private one", async () => {
    const account = await createAccount(instance.db, { username: "panevezys", name: "Panevėžys Library" });
    await insertFollowers(instance.db, account.id, sink.ports, 1);
    // The follower's server is known by name; the test's resolver decides what the name means.
    await instance.database.sql`
      UPDATE remote_actors SET inbox_url = replace(inbox_url, '127.0.0.1', 'readers.rebind.test'),
        shared_inbox_url = replace(shared_inbox_url, '127.0.0.1', 'readers.rebind.test')`;
    let publicNow = true;
    const refused: string[] = [];
    const guard = (publicAddress: boolean) =>
      guardedAgent({
        allowPrivateAddress: false,
        lookup: async () => ["127.0.0.1"],
        isAllowedAddress: (ip) => {
          if (!publicAddress) refused.push(ip);
          return publicAddress;
        },
      });
    setGlobalDispatcher(guard(publicNow));
    const first = await publishPost(instance, account, {
      title: "Open day",
      summary: "Saturday, all branches.",
      content: "<p>Welcome.</p>",
      language: "en",
    });
    await waitFor(async () => sink.deliveries.some((d) => d.activityId === `${first.iri}#create`), {
      what: "the delivery while the host resolves to a public address",
    });

    // The name now resolves to a private address: new connections are refused.
    publicNow = false;
    setGlobalDispatcher(guard(publicNow));
    const second = await publishPost(instance, account, {
      title: "Closed for inventory",
      summary: "Monday only.",
      content: "<p>Sorry.</p>",
      language: "en",
    });
    await waitFor(async () => refused.length > 0, { what: "the refused delivery attempt" });
    expect(refused[0]).toBe("127.0.0.1");
    expect(sink.deliveries.some((d) => d.activityId === `${second.iri}#create`)).toBe(false);
  }, 60_000);
});
