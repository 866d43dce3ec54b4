import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { isBlockedActor } from "../../domain/actor-blocks.ts";
import { isBlockedUrl } from "../../domain/domain-blocks.ts";
import { storeReport } from "../../domain/reports.ts";
import type { AppContext } from "../context.ts";

const logger = getLogger(["baltic", "inbox", "flag"]);

/** Plain text of a Flag's comment (Mastodon sends plain text; any markup is dropped, not rendered). */
function plainText(content: unknown): string {
  const text = typeof content === "string" ? content : content == null ? "" : String(content);
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A report (Mastodon's Flag, sent from its instance actor). Fedify has verified the signature and
 * that the key is the actor's; the door already refused blocked domains and actors, checked
 * again here for activities that reach us by another path (a forwarded one).
 */
export async function onFlag(ctx: InboxContext<AppContext>, flag: Flag): Promise<void> {
  const db = ctx.data.db;
  const reporter = flag.actorId;
  if (flag.id == null || reporter == null || flag.id.origin !== reporter.origin) {
    logger.info("Dropped a Flag without an id on its sender's server (from {reporter})", {
      reporter: reporter?.href,
    });
    return;
  }
  if ((await isBlockedUrl(db, reporter)) || (await isBlockedActor(db, reporter.href))) {
    logger.info("Dropped a Flag from {reporter}, which is blocked", { reporter: reporter.href });
    return;
  }
  const objectIris = flag.objectIds.map((id) => id.href);
  const outcome = await storeReport(db, {
    activityIri: flag.id.href,
    reporterIri: reporter.href,
    objectIris,
    comment: plainText(flag.content),
  });
  if (outcome === "rate-limited") {
    logger.warn("Dropped a Flag from {reporter}: its server sent too many reports this hour", {
      reporter: reporter.href,
    });
  } else if (outcome === "stored") {
    logger.info("Report from {reporter} about {target}", { reporter: reporter.href, target: objectIris[0] });
  }
}
