import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import {
  blockDomain,
  coveringDomains,
  normalizeDomain,
  unblockDomain,
} from "../server/domain/domain-blocks.ts";
import { listFollowers, listFollowing } from "../server/domain/follows.ts";
import { getInstanceKeyPairs, INSTANCE_ACTOR } from "../server/domain/instance-actor.ts";
import { followRemote } from "../server/services/following.ts";
import { publishPost } from "../server/services/publishing.ts";
import { actorUrl, likeBy, postToInbox, type Signer } from "./support/inbox-client.ts";
import { type InProcessInstance, runCli, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
import type { WebClient } from "./support/web-client.ts";

describe("domain names of blocks", () => {
  it("takes a domain, a URL or a handle, in any case, and covers subdomains and every port", () => {
    expect(normalizeDomain(" Social.Example.ORG ")).toBe("social.example.org");
    expect(normalizeDomain("https://social.example.org/users/x")).toBe("social.example.org");
    expect(normalizeDomain("@reader@social.example.org")).toBe("social.example.org");
    expect(normalizeDomain("bücher.example")).toBe("xn--bcher-kva.example");
    expect(normalizeDomain("127.0.0.1:8080")).toBe("127.0.0.1:8080");
    expect(coveringDomains("a.social.example.org:8443")).toEqual([
      "a.social.example.org:8443",
      "a.social.example.org",
      "social.example.org",
      "example.org",
    ]);
    for (const bad of ["", "   ", "not a domain!", "http://", "@@"]) {
      expect(() => normalizeDomain(bad), bad).toThrow(/^domain: /);
    }
  });
});

/** Issue 7 (blocked domains refused even when signed) and the moderation of issue 10. */
describe("domain blocks", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let utena: Account;
  let reader: Account;
  let sender: Signer;
  let admin: WebClient;
  let remoteHost: string;

  const like = () => likeBy(sender, new URL("/users/utena", home.url).href);

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess({ authorizedFetch: true }), startInProcess()]);
    remoteHost = remote.url.host;
    utena = await createAccount(home.db, { username: "utena", name: "Utena Library" });
    reader = await createAccount(remote.db, { username: "reader", name: "A reader" });
    sender = { instance: remote, account: reader };
    admin = await signedIn(home.db, home.url, "admin");
  });
  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  it("purges what came from the domain, refuses its activities and signed fetches, and lets it back when lifted", async () => {
    // The remote reader follows Utena, and Utena follows the reader, who publishes.
    await followRemote(remote, reader, new URL("/users/utena", home.url).href);
    await followRemote(home, utena, actorUrl(sender));
    await waitFor(async () => (await listFollowers(home.db, utena.id)).length === 1, {
      what: "the follower",
    });
    await waitFor(async () => (await listFollowing(home.db, utena.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
    const post = await publishPost(remote, reader, {
      title: "Hello",
      summary: "From afar.",
      language: "en",
      content: "<p>Hi</p>",
    });
    await waitFor(async () => home.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, post.iri) }), {
      what: "the reader's post on Utena",
    });
    expect((await postToInbox(home, like(), sender)).status).toBe(202);

    // An admin blocks the domain in the admin pages.
    await admin.page("/admin/domains");
    const blocked = await admin.postForm("/admin/domains", {
      domain: `http://${remoteHost}/`,
      reason: "Spam",
    });
    expect(blocked.status).toBe(303);
    const listed = await admin.page(blocked.headers.get("location") ?? "");
    expect(listed.html).toContain(remoteHost);
    expect(listed.html).toContain("Spam");
    expect(listed.html).toContain(`Blocked ${remoteHost}; removed 1 account(s)`);

    // Purged: the follower, the follow, the received post, the actor.
    expect(await listFollowers(home.db, utena.id)).toEqual([]);
    expect(await listFollowing(home.db, utena.id)).toEqual([]);
    expect(
      await home.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, post.iri) }),
    ).toBeUndefined();
    expect(
      await home.db.query.remoteActors.findFirst({ where: (t, { eq }) => eq(t.iri, actorUrl(sender)) }),
    ).toBeUndefined();

    // Refused, though correctly signed: its activities, its signed fetches, and our follows to it.
    const refused = await postToInbox(home, like(), sender);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(`${remoteHost} is blocked`);
    const [rsa] = await getInstanceKeyPairs(remote.db);
    if (!rsa) throw new Error("no key");
    const keyId = new URL(`${new URL(`/users/${INSTANCE_ACTOR}`, remote.url).href}#main-key`);
    const signedGet = () =>
      signRequest(
        new Request(new URL("/users/utena", home.url), { headers: { Accept: "application/activity+json" } }),
        rsa.privateKey,
        keyId,
      ).then((request) => fetch(request));
    expect((await signedGet()).status).toBe(401);
    await expect(followRemote(home, utena, actorUrl(sender))).rejects.toThrow(
      `target: ${remoteHost} is blocked`,
    );

    // Lifted: both are accepted again (what was purged stays purged).
    await admin.page("/admin/domains");
    const lifted = await admin.postForm("/admin/domains/unblock", { domain: remoteHost });
    expect(lifted.status).toBe(303);
    expect((await admin.page(lifted.headers.get("location") ?? "")).html).toContain(
      `Unblocked ${remoteHost}`,
    );
    expect((await postToInbox(home, like(), sender)).status).toBe(202);
    expect((await signedGet()).status).toBe(200);
  }, 60_000);

  it("answers a bad domain in the form with 400 and the error next to the field", async () => {
    await admin.page("/admin/domains");
    const response = await admin.postForm("/admin/domains", { domain: "not a domain!", reason: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("domain: ");
    expect(html).toContain('value="not a domain!"');
  });

  it("is open to admins only", async () => {
    const client = await signedIn(home.db, home.url, "editor");
    expect((await client.page("/admin/domains")).status).toBe(403);
  });

  it("blocks, lists and unblocks from the CLI, naming the bad argument", async () => {
    const env = { DATABASE_URL: home.database.url, DATA_DIR: home.config.dataDir, LOG_LEVEL: "warning" };
    const block = await runCli(["domains", "block", "Spam.Example", "--reason", "Bulk follows"], env);
    expect(block.code, block.stderr).toBe(0);
    expect(block.stdout).toContain("Blocked spam.example; removed 0 actor(s)");
    const list = await runCli(["domains", "list"], env);
    expect(list.stdout).toMatch(/^spam\.example\t\d{4}-\d\d-\d\dT[^\t]+\tBulk follows$/m);
    const bad = await runCli(["domains", "block", "not a domain!"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('domain: "not a domain!" is not a domain name');
    const unblock = await runCli(["domains", "unblock", "spam.example"], env);
    expect(unblock.code, unblock.stderr).toBe(0);
    const again = await runCli(["domains", "unblock", "spam.example"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("spam.example is not blocked");
    expect(await unblockDomain(home.db, "spam.example")).toBe(false);
    expect((await blockDomain(home.db, "spam.example")).purgedActors).toBe(0);
  }, 60_000);
});
