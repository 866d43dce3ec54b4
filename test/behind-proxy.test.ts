import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, getKeyPairs } from "../server/domain/accounts.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/**
 * Behind a TLS-terminating proxy the server receives http://127.0.0.1:port/… while senders sign
 * https://public.host/…: RFC 9421 signatures cover the URL, so Fedify must see the public one.
 */
describe("behind a reverse proxy (PUBLIC_URL differs from the address requests arrive at)", () => {
  let proxied: InProcessInstance;
  let remote: InProcessInstance;

  beforeAll(async () => {
    [proxied, remote] = await Promise.all([
      startInProcess({ publicUrl: new URL("https://lib.example") }),
      startInProcess(),
    ]);
    await createAccount(proxied.db, { username: "lib", name: "Proxied library" });
  });
  afterAll(async () => {
    await Promise.all([proxied?.stop(), remote?.stop()]);
  });

  it("verifies an RFC 9421 signature made for the public URL", async () => {
    const peer = await createAccount(remote.db, { username: "peer", name: "Peer" });
    const [rsa] = await getKeyPairs(remote.db, peer.id);
    if (!rsa) throw new Error("no key");
    const actor = new URL("/users/peer", remote.url).href;
    const body = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor}#follow-proxy`,
      type: "Follow",
      actor,
      object: "https://lib.example/users/lib",
    });
    const publicRequest = new Request("https://lib.example/users/lib/inbox", {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body,
    });
    const signed = await signRequest(publicRequest, rsa.privateKey, new URL(`${actor}#main-key`), {
      spec: "rfc9421",
    });
    // What the proxy forwards: same headers (Host: lib.example) and body, to the internal address.
    const internal = new URL("/users/lib/inbox", `http://127.0.0.1:${proxied.config.port}`);
    const response = await fetch(internal, { method: "POST", headers: signed.headers, body });
    expect(response.status).toBe(202);
  });

  it("builds links from the public origin, not from the internal address", async () => {
    const internal = new URL("/users/lib", `http://127.0.0.1:${proxied.config.port}`);
    const actor = (await (
      await fetch(internal, { headers: { Accept: "application/activity+json" } })
    ).json()) as {
      id: string;
      inbox: string;
    };
    expect(actor.id).toBe("https://lib.example/users/lib");
    expect(actor.inbox).toBe("https://lib.example/users/lib/inbox");
  });
});
