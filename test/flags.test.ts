import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { blockActor, unblockActor } from "../server/domain/actor-blocks.ts";
import { listAudit } from "../server/domain/audit-log.ts";
import { listReports, REPORTS_PER_DOMAIN_HOUR } from "../server/domain/reports.ts";
import { actorUrl, postToInbox, type Signer } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

let flags = 0;

/** Issue 10: received reports (Flag), signed by a real key of another instance. */
describe("Flag reports", () => {
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let reporter: Signer;
  let target: string;

  const flag = (comment: string) =>
    JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actorUrl(reporter)}#flags/${++flags}`,
      type: "Flag",
      actor: actorUrl(reporter),
      object: [target, `${target}/posts/1`],
      content: comment,
    });
  const stored = async () =>
    (await listReports(home.db, "open")).length + (await listReports(home.db, "resolved")).length;

  beforeAll(async () => {
    [home, remote] = await Promise.all([startInProcess({ instanceRole: "hub" }), startInProcess()]);
    await createAccount(home.db, { username: "hub", name: "Hub" });
    // Setup is done once an admin exists (pages redirect to /setup before).
    await signedIn(home.db, home.url, "admin");
    const moderator: Account = await createAccount(remote.db, { username: "moderator", name: "Moderation" });
    reporter = { instance: remote, account: moderator };
    target = "https://spam.example/users/troll";
  }, 60_000);
  afterAll(async () => {
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  it("stores a signed Flag, shows it to curators, and resolves it with an audit entry", async () => {
    expect((await postToInbox(home, flag("Spam <b>links</b>"), reporter)).status).toBe(202);
    await waitFor(async () => (await listReports(home.db)).length === 1, { what: "the report stored" });
    const [report] = await listReports(home.db);
    expect(report).toMatchObject({
      reporterIri: actorUrl(reporter),
      targetActorIri: target,
      objectIris: [`${target}/posts/1`],
      comment: "Spam links",
      state: "open",
    });

    const curator = await signedIn(home.db, home.url, "curator");
    const page = await curator.page("/admin/reports");
    expect(page.status).toBe(200);
    expect(page.html).toContain(`About ${target}`);
    expect(page.html).toContain("Spam links");
    const resolved = await curator.postForm(`/admin/reports/${report?.id}/resolve`, {});
    expect(resolved.status).toBe(303);
    expect(await listReports(home.db, "open")).toEqual([]);
    expect((await listAudit(home.db, { action: "report.resolve" })).entries[0]?.target).toBe(target);
    const bad = await curator.postForm("/admin/reports/not-an-id/resolve", {});
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("report: ");
  }, 60_000);

  it("refuses an unsigned Flag and one from a blocked actor", async () => {
    expect((await postToInbox(home, flag("unsigned"))).status).toBe(401);
    await blockActor(home.db, "cli", actorUrl(reporter));
    expect((await postToInbox(home, flag("blocked"), reporter)).status).toBe(403);
    await unblockActor(home.db, "cli", actorUrl(reporter));
    expect(await stored()).toBe(1);
  });

  it("keeps at most REPORTS_PER_DOMAIN_HOUR reports an hour from one domain and drops the flood", async () => {
    const before = await stored();
    for (let i = 0; i < REPORTS_PER_DOMAIN_HOUR + 5; i++) {
      const response = await postToInbox(home, flag(`flood ${i}`), reporter);
      expect(response.status, await response.text()).toBe(202);
    }
    await waitFor(async () => (await stored()) >= REPORTS_PER_DOMAIN_HOUR, { what: "the flood handled" });
    // Give the queue time to handle the excess: it must be dropped, not stored.
    await new Promise((r) => setTimeout(r, 3000));
    expect(before).toBe(1);
    expect(await stored()).toBe(REPORTS_PER_DOMAIN_HOUR);
  }, 120_000);
});
