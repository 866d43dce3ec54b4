import type { RequestContext } from "@fedify/fedify";
import { isBlockedUrl } from "../domain/domain-blocks.ts";
import { INSTANCE_ACTOR } from "../domain/instance-actor.ts";
import type { AppContext } from "./context.ts";

/**
 * AUTHORIZED_FETCH (Mastodon's secure mode): our actors', objects' and collections' JSON only for
 * GETs signed by some actor's key. The instance actor stays public, or nobody could fetch the key
 * that signs our own requests. Without the setting everything is public, as before.
 */
export async function mayFetch(ctx: RequestContext<AppContext>, identifier?: string): Promise<boolean> {
  if (!ctx.data.config.authorizedFetch || identifier === INSTANCE_ACTOR) return true;
  // The signer's actor is fetched with our own signature: its server may be in secure mode too.
  const documentLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const owner = await ctx.getSignedKeyOwner({ documentLoader }).catch(() => null);
  // A blocked server is refused even when its signature holds.
  return owner?.id != null && !(await isBlockedUrl(ctx.data.db, owner.id));
}
