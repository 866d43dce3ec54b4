import { signRequest } from "@fedify/fedify";
import { Endpoints, Organization } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, getKeyPairs } from "../server/domain/accounts.ts";
import { ValidationError } from "../server/domain/errors.ts";
import { upsertRemoteActor } from "../server/domain/remote-actors.ts";
import { UnsafeUrlError } from "../server/ingest/safe-fetch.ts";
import { followRemote } from "../server/services/following.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** DESIGN.md §5 rule 5: without ALLOW_PRIVATE_ADDRESS nothing we send or fetch goes to a private address. */
describe("private addresses are refused by default", () => {
  let strict: InProcessInstance; // ALLOW_PRIVATE_ADDRESS=false, as in production
  let loopback: InProcessInstance; // a real instance that only lives on 127.0.0.1

  beforeAll(async () => {
    [strict, loopback] = await Promise.all([
      startInProcess({ allowPrivateAddress: false }),
      startInProcess(),
    ]);
    await createAccount(loopback.db, { username: "neighbour", name: "Loopback library" });
  });

  afterAll(async () => {
    await Promise.all([strict?.stop(), loopback?.stop()]);
  });

  it("will not look up (follow) an actor on a loopback address", async () => {
    const account = await createAccount(strict.db, { username: "strict", name: "Strict library" });
    const target = new URL("/users/neighbour", loopback.url).href;
    await expect(followRemote(strict, account, target)).rejects.toThrow(ValidationError);
    await expect(followRemote(strict, account, target)).rejects.toThrow(
      /private|could not fetch|not a fediverse/i,
    );
  });

  it("will not fetch a signing key from a loopback address, so such an inbox POST is refused", async () => {
    const [rsa] = await getKeyPairs(loopback.db, (await loopback.db.query.accounts.findFirst())?.id ?? "");
    const actor = new URL("/users/neighbour", loopback.url).href;
    const request = new Request(new URL("/inbox", strict.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body: JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${actor}#follow-1`,
        type: "Follow",
        actor,
        object: new URL("/users/strict", strict.url).href,
      }),
    });
    if (!rsa) throw new Error("no key");
    const response = await fetch(await signRequest(request, rsa.privateKey, new URL(`${actor}#main-key`)));
    expect(response.status).toBe(401);
  });

  it("will not store a remote actor whose inbox points at a private network", async () => {
    const hostile = new Organization({
      id: new URL("https://hostile.example/users/x"),
      preferredUsername: "x",
      inbox: new URL("http://10.0.0.5/admin/inbox"),
      endpoints: new Endpoints({ sharedInbox: new URL("http://169.254.169.254/latest") }),
    });
    await expect(upsertRemoteActor(strict.db, hostile, { allowPrivateAddress: false })).rejects.toThrow(
      UnsafeUrlError,
    );
    expect(await strict.db.query.remoteActors.findFirst()).toBeUndefined();
  });
});
