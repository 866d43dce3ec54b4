import { signRequest } from "@fedify/fedify";
import { type Account, getKeyPairs } from "../../server/domain/accounts.ts";
import type { InProcessInstance } from "./instance.ts";

/** Who signs: an account of a (second) in-process instance, with its real RSA key. */
export interface Signer {
  instance: InProcessInstance;
  account: Account;
}

export function actorUrl(signer: Signer): string {
  return new URL(`/users/${signer.account.username}`, signer.instance.url).href;
}

/** POSTs a body to an instance's shared inbox, signed (draft-cavage or RFC 9421) when a signer is given. */
export async function postToInbox(
  target: InProcessInstance,
  body: string,
  signer?: Signer,
): Promise<Response> {
  let request = new Request(new URL("/inbox", target.url), {
    method: "POST",
    headers: { "Content-Type": "application/activity+json" },
    body,
  });
  if (signer) {
    const [rsa] = await getKeyPairs(signer.instance.db, signer.account.id);
    if (!rsa) throw new Error(`@${signer.account.username} has no key`);
    request = await signRequest(request, rsa.privateKey, new URL(`${actorUrl(signer)}#main-key`));
  }
  return fetch(request);
}

let likes = 0;

/** A fresh `Like` (its own id each time) by the signer of `object`: an activity any inbox accepts. */
export function likeBy(signer: Signer, object: string): string {
  return JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actorUrl(signer)}#likes/${++likes}`,
    type: "Like",
    actor: actorUrl(signer),
    object,
  });
}
