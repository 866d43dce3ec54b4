import { signRequest } from "@fedify/fedify";
import { type Account, getKeyPairs } from "../../server/domain/accounts.ts";
import type { InProcessInstance } from "./instance.ts";

/** Posts hand-made activities to `target`'s shared inbox, signed as accounts of `remote` (real keys). */
export function signedPoster(target: InProcessInstance, remote: InProcessInstance) {
  return async (body: unknown, as: Account): Promise<Response> => {
    const [rsa] = await getKeyPairs(remote.db, as.id);
    if (!rsa) throw new Error(`@${as.username} has no key`);
    const request = new Request(new URL("/inbox", target.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const keyId = new URL(`${new URL(`/users/${as.username}`, remote.url).href}#main-key`);
    return fetch(await signRequest(request, rsa.privateKey, keyId));
  };
}

/** Resolves once `instance` has handled everything queued (inbox work is asynchronous). */
export async function queueDrained(instance: InProcessInstance, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [row] = await instance.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM queue_messages`;
    if (row?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the queue did not drain");
}
