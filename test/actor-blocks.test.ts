import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { isBlockedActor } from "../server/domain/actor-blocks.ts";
import { listAudit } from "../server/domain/audit-log.ts";
import { listFollowers, listFollowing } from "../server/domain/follows.ts";
import { followRemote } from "../server/services/following.ts";
import { publishPost } from "../server/services/publishing.ts";
import { actorUrl, likeBy, postToInbox, type Signer } from "./support/inbox-client.ts";
import { type InProcessInstance, runCli, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

/** Issue 10, moderation: one actor blocked (hide or purge), refused, and unblocked, from the CLI. */
describe("actor blocks", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let utena: Account;
  let reader: Account;
  let sender: Signer;
  let env: Record<string, string>;

  const like = () => likeBy(sender, new URL("/users/utena", home.url).href);
  const cli = (...args: string[]) => runCli(["hub", ...args], env);
  const itemOf = (iri: string) => home.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) });

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess(), startInProcess()]);
    utena = await createAccount(home.db, { username: "utena", name: "Utena Library" });
    reader = await createAccount(remote.db, { username: "reader", name: "A reader" });
    sender = { instance: remote, account: reader };
    env = { DATABASE_URL: home.database.url, DATA_DIR: home.config.dataDir, LOG_LEVEL: "warning" };
    await followRemote(remote, reader, new URL("/users/utena", home.url).href);
    await followRemote(home, utena, actorUrl(sender));
    await waitFor(async () => (await listFollowers(home.db, utena.id)).length === 1, {
      what: "the follower",
    });
    await waitFor(async () => (await listFollowing(home.db, utena.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  it("hides: ends its follows, refuses its activities though signed, keeps its items, and is audited", async () => {
    const post = await publishPost(remote, reader, {
      title: "Before the block",
      summary: "Kept, hidden.",
      language: "en",
      content: "<p>Hi</p>",
    });
    await waitFor(() => itemOf(post.iri), { what: "the reader's post on Utena" });
    expect((await postToInbox(home, like(), sender)).status).toBe(202);

    const handle = `@reader@${remote.url.host}`;
    const block = await cli("block", handle, "--reason", "Spam replies");
    expect(block.code, block.stderr).toBe(0);
    expect(block.stdout).toContain(`Blocked ${actorUrl(sender)}; hid`);
    expect(await listFollowers(home.db, utena.id)).toEqual([]);
    expect(await itemOf(post.iri)).toBeDefined();

    // The web process hears of the CLI's block through NOTIFY, well before the 30 s re-read.
    await waitFor(() => isBlockedActor(home.db, `${actorUrl(sender)}#main-key`), {
      what: "the block seen",
      timeoutMs: 5_000,
    });
    // Key ids as other software names them: a fragment (Mastodon) or a path segment (GoToSocial).
    expect(await isBlockedActor(home.db, `${actorUrl(sender)}/main-key`)).toBe(true);
    expect(await isBlockedActor(home.db, `${new URL("/users/someone-else", remote.url).href}#main-key`)).toBe(
      false,
    );
    const refused = await postToInbox(home, like(), sender);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("actor is blocked");

    const { entries } = await listAudit(home.db, { action: "actor.block" });
    expect(entries[0]).toMatchObject({ actorLabel: "cli", target: actorUrl(sender) });
    expect(entries[0]?.detail).toMatchObject({ purge: false, reason: "Spam replies" });

    const unblock = await cli("unblock", actorUrl(sender));
    expect(unblock.code, unblock.stderr).toBe(0);
    await waitFor(async () => !(await isBlockedActor(home.db, actorUrl(sender))), {
      what: "the block lifted",
    });
    expect((await postToInbox(home, like(), sender)).status).toBe(202);
    expect((await listAudit(home.db, { action: "actor.unblock" })).entries).toHaveLength(1);
  }, 60_000);

  it("purges: the actor and its items are deleted", async () => {
    const post = await publishPost(remote, reader, {
      title: "To be purged",
      summary: "Gone.",
      language: "en",
      content: "<p>Bye</p>",
    });
    await waitFor(() => itemOf(post.iri), { what: "the reader's post on Utena" });
    const block = await cli("block", actorUrl(sender), "--purge");
    expect(block.code, block.stderr).toBe(0);
    expect(block.stdout).toMatch(/; purged [1-9]\d* item\(s\)/);
    expect(await itemOf(post.iri)).toBeUndefined();
    expect(
      await home.db.query.remoteActors.findFirst({ where: (t, { eq }) => eq(t.iri, actorUrl(sender)) }),
    ).toBeUndefined();
    expect((await cli("unblock", actorUrl(sender))).code).toBe(0);
  }, 60_000);

  it("blocks a domain from `hub block`, audited like the domains commands, and names bad arguments", async () => {
    const domain = await cli("block", "Spam.Example", "--reason", "Bulk follows");
    expect(domain.code, domain.stderr).toBe(0);
    expect(domain.stdout).toContain("Blocked spam.example");
    const viaDomains = await runCli(["domains", "unblock", "spam.example"], env);
    expect(viaDomains.code, viaDomains.stderr).toBe(0);
    const actions = (await listAudit(home.db)).entries.map((e) => `${e.action} ${e.target}`);
    expect(actions).toContain("domain.block spam.example");
    expect(actions).toContain("domain.unblock spam.example");

    const empty = await cli("block", "");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("target: give a domain");
    const badUrl = await cli("block", "ftp://x.example/users/a");
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain("actor: ");
    const notBlocked = await cli("unblock", "https://nobody.example/users/x");
    expect(notBlocked.code).toBe(1);
    expect(notBlocked.stderr).toContain("target: https://nobody.example/users/x is not blocked");
    const help = await cli("block", "--help");
    expect(help.stdout).toContain("--purge");
  }, 180_000);

  it("shows the audit log to curators, newest first, filtered by action, and refuses a bad filter", async () => {
    // Setup is done once an admin exists (pages redirect to /setup before).
    await signedIn(home.db, home.url, "admin");
    const curator = await signedIn(home.db, home.url, "curator");
    const all = await curator.page("/admin/audit");
    expect(all.status).toBe(200);
    const table = all.html.slice(all.html.indexOf("<table"));
    const unblockAt = table.indexOf("actor.unblock");
    expect(unblockAt).toBeGreaterThan(0);
    // The purge's unblock came last, so it is listed before any block.
    expect(unblockAt).toBeLessThan(table.indexOf("actor.block"));
    const filtered = await curator.page("/admin/audit?action=domain.block");
    expect(filtered.html).toContain("spam.example");
    expect(filtered.html).not.toContain("actor.unblock");
    const bad = await curator.page("/admin/audit?action=%3Cscript%3E");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("action: ");
    const editor = await signedIn(home.db, home.url, "editor");
    expect((await editor.page("/admin/audit")).status).toBe(403);
  });
});
