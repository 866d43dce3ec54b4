import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { likeBy, postToInbox, type Signer } from "./support/inbox-client.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

const SERVER_LIMIT = 3;

/** Issue 7: inbox rate limits per client address and per sending server, in PostgreSQL. */
describe("inbox rate limits", () => {
  let home: InProcessInstance;
  let crowded: InProcessInstance;
  let remote: InProcessInstance;
  let sender: Signer;

  beforeAll(async () => {
    [home, crowded, remote] = await Promise.all([
      startInProcess({ inboxDomainRateLimit: SERVER_LIMIT }),
      startInProcess({}, { inboxRequestsPerMinute: 5 }),
      startInProcess(),
    ]);
    await createAccount(home.db, { username: "utena", name: "Utena Library" });
    const account: Account = await createAccount(remote.db, { username: "reader", name: "A reader" });
    sender = { instance: remote, account };
  });
  afterAll(async () => {
    await Promise.all([home?.stop(), crowded?.stop(), remote?.stop()]);
  });

  const like = () => likeBy(sender, new URL("/users/utena", home.url).href);

  /** A request that names the sender's key but carries no valid signature. */
  const forged = (target: InProcessInstance, keyHost = new URL(remote.url).host) =>
    fetch(new URL("/inbox", target.url), {
      method: "POST",
      headers: {
        "Content-Type": "application/activity+json",
        Date: new Date().toUTCString(),
        Signature: `keyId="http://${keyHost}/users/reader#main-key",algorithm="rsa-sha256",headers="(request-target) date",signature="AAAA"`,
      },
      body: like(),
    });

  it("answers 429 with Retry-After to a client address over its budget, whatever it sends", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await postToInbox(crowded, "{}")).status);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    const blocked = await postToInbox(crowded, "{}");
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("60");
  });

  it("counts a server's verified activities only: forgeries naming it neither pass nor spend its budget", async () => {
    for (let i = 0; i < 10; i++) expect((await forged(home)).status).toBe(401);
    for (let i = 0; i < SERVER_LIMIT; i++) {
      expect((await postToInbox(home, like(), sender)).status).toBe(202);
    }
    const over = await postToInbox(home, like(), sender);
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("60");
    expect(await over.text()).toContain(new URL(remote.url).host);
    // Requests naming that server are refused with it; another server's are not.
    expect((await forged(home)).status).toBe(429);
    expect((await forged(home, "other.example")).status).toBe(401);
  });
});
