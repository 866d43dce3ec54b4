import { isActor } from "@fedify/vocab";
import { uuidv7 } from "../db/ids.ts";
import type { Account } from "../domain/accounts.ts";
import { isBlockedHost, isBlockedUrl } from "../domain/domain-blocks.ts";
import { ValidationError } from "../domain/errors.ts";
import { removeFollowing, saveFollowing, setFollowerState } from "../domain/follows.ts";
import { INSTANCE_ACTOR } from "../domain/instance-actor.ts";
import {
  findRemoteActor,
  isRefusedActor,
  type RemoteActor,
  upsertRemoteActor,
} from "../domain/remote-actors.ts";
import { sendFollow, sendFollowAnswer, sendUndoFollow } from "../federation/outbox.ts";
import { fedContext, type Services } from "./context.ts";

/** `@user@host`, `user@host` or an actor URL, as people paste them. */
export function parseFollowTarget(target: string): { kind: "handle" | "url"; value: string } {
  const trimmed = target.trim();
  if (/^@?[^@\s/]+@[^@\s/]+$/.test(trimmed))
    return { kind: "handle", value: `@${trimmed.replace(/^@/, "")}` };
  try {
    const url = new URL(trimmed);
    if (url.protocol === "http:" || url.protocol === "https:") return { kind: "url", value: url.href };
  } catch {
    // fall through
  }
  throw new ValidationError("target", `"${target}" is neither an actor URL nor @user@host`);
}

/** Looks the target up (WebFinger for handles, over https) and sends a Follow from the account. */
export async function followRemote(
  services: Services,
  account: Account,
  target: string,
): Promise<RemoteActor> {
  const parsed = parseFollowTarget(target);
  const host = parsed.kind === "handle" ? (parsed.value.split("@")[2] ?? "") : new URL(parsed.value).host;
  if (await isBlockedHost(services.db, host)) {
    throw new ValidationError("target", `${host} is blocked on this server`);
  }
  const ctx = fedContext(services);
  let found: unknown;
  try {
    // Signed by the instance actor: servers in authorized-fetch mode answer only signed GETs.
    const documentLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
    found = await ctx.lookupObject(parsed.value, { documentLoader });
  } catch (error) {
    throw new ValidationError("target", `could not fetch ${parsed.value}: ${(error as Error).message}`);
  }
  // The lookup may have been redirected (WebFinger names the actor's real server).
  if (found != null && isActor(found) && found.id && (await isBlockedUrl(services.db, found.id))) {
    throw new ValidationError("target", `${found.id.host} is blocked on this server`);
  }
  if (!isActor(found) || found.id == null) {
    throw new ValidationError(
      "target",
      `${parsed.value} is not a fediverse account (or could not be reached)`,
    );
  }
  const actor = await upsertRemoteActor(services.db, found, services.config).catch((error) => {
    if (isRefusedActor(error)) throw new ValidationError("target", error.message);
    throw error;
  });
  const followIri = new URL(`/follows/${uuidv7()}`, services.config.publicUrl);
  await saveFollowing(services.db, account.id, actor.id, followIri.href);
  await sendFollow(ctx, account, found, followIri);
  return actor;
}

export async function unfollowRemote(
  services: Services,
  account: Account,
  actorIri: string,
): Promise<boolean> {
  const actor = await findRemoteActor(services.db, actorIri);
  if (!actor) return false;
  const removed = await removeFollowing(services.db, account.id, actor.id);
  if (!removed) return false;
  await sendUndoFollow(fedContext(services), account, actor, removed.followIri);
  return true;
}

/** Approves or rejects a pending follow request of an account that approves followers manually. */
export async function answerFollowRequest(
  services: Services,
  account: Account,
  actorId: string,
  answer: "Accept" | "Reject",
): Promise<boolean> {
  const row = await setFollowerState(
    services.db,
    account.id,
    actorId,
    answer === "Accept" ? "accepted" : "rejected",
  );
  if (!row) return false;
  await sendFollowAnswer(fedContext(services), account, row.actor, row.followIri, answer);
  return true;
}
