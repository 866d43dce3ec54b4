import { getLogger } from "@logtape/logtape";
import type { Tx } from "../db/client.ts";
import { type AuditActor, recordAudit } from "../domain/audit-log.ts";
import {
  type CuratedItem,
  type CurationAction,
  findCuratedItem,
  lockCuratedItem,
  parseTopics,
  setAutoApprove,
  setFeatured,
  setState,
  setTopics,
} from "../domain/curation.ts";
import { ValidationError } from "../domain/errors.ts";
import { findSourceActor, hubAccount } from "../domain/hub-sources.ts";
import type { RemoteActor } from "../domain/remote-actors.ts";
import { announceIriFor, sendHubAnnounce, sendHubUndoAnnounce } from "../federation/hub-announce.ts";
import { fedContext, type Services } from "./context.ts";
import { requireHub } from "./hub-sources.ts";

const logger = getLogger(["baltic", "curation"]);

/** What an action did: `changed` false means the item already was so (nothing sent, nothing logged). */
export interface CurationOutcome {
  entry: CuratedItem;
  changed: boolean;
  message: string;
}

type Boost = { kind: "announce" | "undo"; objectIri: string; announceIri: string; at: Date };

/**
 * One curator action on one item, in one transaction with its audit line. Featuring sends the
 * hub's Announce once the change is committed (a second feature finds it featured and sends
 * nothing); unfeaturing sends the Undo of the stored Announce id. Hiding a featured item also
 * takes the boost back: what is hidden is not promoted.
 */
export async function curate(
  services: Services,
  actor: AuditActor,
  itemId: string,
  action: CurationAction,
): Promise<CurationOutcome> {
  requireHub(services);
  const account = await hubAccount(services.db);
  const ctx = fedContext(services);
  const { outcome, boost } = await services.db.transaction(async (tx) => {
    const entry = await lockCuratedItem(tx, itemId);
    const result = await apply(tx, entry, action, (at) => announceIriFor(ctx, account, entry.item.id, at));
    if (result.outcome.changed) {
      await recordAudit(tx, actor, `item.${action}`, entry.item.iri, {
        from: entry.curation.state,
        source: entry.source.iri,
      });
    }
    return result;
  });
  if (boost?.kind === "announce") {
    await sendHubAnnounce(ctx, account, boost.objectIri, boost.announceIri, boost.at);
  } else if (boost?.kind === "undo") {
    await sendHubUndoAnnounce(ctx, account, boost.objectIri, boost.announceIri);
  }
  logger.info("{action} {iri}: {message}", { action, iri: outcome.entry.item.iri, message: outcome.message });
  return outcome;
}

async function apply(
  tx: Tx,
  entry: CuratedItem,
  action: CurationAction,
  newAnnounceIri: (at: Date) => string,
): Promise<{ outcome: CurationOutcome; boost?: Boost }> {
  const { curation: current, item } = entry;
  const same = (message: string) => ({ outcome: { entry, changed: false, message } });
  const done = (message: string, boost?: Boost) => ({ outcome: { entry, changed: true, message }, boost });
  const undoBoost = (): Boost | undefined =>
    current.announceIri
      ? { kind: "undo", objectIri: item.iri, announceIri: current.announceIri, at: new Date() }
      : undefined;
  switch (action) {
    case "approve":
    case "restore":
      if (current.state === "approved") return same(`${item.iri} is already approved`);
      if (action === "restore" && current.state !== "hidden") {
        throw new ValidationError(
          "item",
          `${item.iri} is not hidden (it is ${current.state}): approve it instead`,
        );
      }
      await setState(tx, item.id, "approved");
      return done(`${action === "restore" ? "Restored" : "Approved"} ${item.iri}`);
    case "hide": {
      if (current.state === "hidden") return same(`${item.iri} is already hidden`);
      await setState(tx, item.id, "hidden");
      const boost = undoBoost();
      if (boost) await setFeatured(tx, item.id, null);
      return done(`Hid ${item.iri}${boost ? " (and took back its boost)" : ""}`, boost);
    }
    case "feature": {
      if (current.featuredAt) return same(`${item.iri} is already featured: no second Announce was sent`);
      if (current.state === "hidden") {
        throw new ValidationError("item", `${item.iri} is hidden: restore it before featuring it`);
      }
      // Featuring is a stronger approval: a pending item joins the feed with it.
      if (current.state === "pending") await setState(tx, item.id, "approved");
      const at = new Date();
      const announceIri = newAnnounceIri(at);
      await setFeatured(tx, item.id, announceIri);
      return done(`Featured ${item.iri}: Announce ${announceIri} queued`, {
        kind: "announce",
        objectIri: item.iri,
        announceIri,
        at,
      });
    }
    case "unfeature": {
      if (!current.featuredAt) return same(`${item.iri} is not featured`);
      const boost = undoBoost();
      await setFeatured(tx, item.id, null);
      return done(`Unfeatured ${item.iri}${boost ? ": Undo queued" : ""}`, boost);
    }
  }
}

/** The same by the item's IRI or page URL (the CLI). */
export async function curateByTarget(
  services: Services,
  actor: AuditActor,
  target: string,
  action: CurationAction,
): Promise<CurationOutcome> {
  requireHub(services);
  const entry = await findCuratedItem(services.db, target);
  return curate(services, actor, entry.item.id, action);
}

/** Replaces an item's curator topics (comma-separated input). */
export async function assignTopics(
  services: Services,
  actor: AuditActor,
  itemId: string,
  input: string,
): Promise<string[]> {
  requireHub(services);
  const topics = parseTopics(input);
  await services.db.transaction(async (tx) => {
    const entry = await lockCuratedItem(tx, itemId);
    await setTopics(tx, itemId, topics);
    await recordAudit(tx, actor, "item.topics", entry.item.iri, { topics: topics.join(", ") });
  });
  return topics;
}

/** A source's choice: its new items approved at once (on) or queued (off). Existing items stay. */
export async function setSourceAutoApprove(
  services: Services,
  actor: AuditActor,
  target: string,
  on: boolean,
): Promise<RemoteActor> {
  requireHub(services);
  const source = await findSourceActor(services.db, target);
  if (!source) {
    throw new ValidationError(
      "source",
      `no source ${target.trim()} on this hub (give @user@host or its actor URL)`,
    );
  }
  await services.db.transaction(async (tx) => {
    await setAutoApprove(tx, source.id, on);
    await recordAudit(tx, actor, "source.auto-approve", source.iri, { on });
  });
  return source;
}
