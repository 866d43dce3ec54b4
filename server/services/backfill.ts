import {
  Announce,
  Object as APObject,
  Collection,
  CollectionPage,
  Create,
  isActor,
  OrderedCollectionPage,
} from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { eq } from "drizzle-orm";
import { remoteActors } from "../db/schema/index.ts";
import { findBackfill, finishBackfill, recordBackfillProgress } from "../domain/backfills.ts";
import { INSTANCE_ACTOR } from "../domain/instance-actor.ts";
import { isRefusedActor, type RemoteActor, upsertRemoteActor } from "../domain/remote-actors.ts";
import type { BackfillJob } from "../federation/backfill-jobs.ts";
import type { FedContext } from "../federation/context.ts";
import { ingestAuthoredObject } from "../federation/ingest-object.ts";
import { fedContext, type Services } from "./context.ts";

const logger = getLogger(["baltic", "backfill"]);

/** What one backfill reads at most (docs/federation.md, "Backfill"). */
export const BACKFILL_LIMITS = {
  /** Outbox entries read, newest first. */
  items: 200,
  /** Entries older than this end the walk. */
  maxAgeDays: 365,
  /** Pages followed; a page seen before ends the walk (a loop). */
  pages: 30,
  /** Entries read of one page; the rest of a huge page is skipped. */
  itemsPerPage: 100,
};

class BackfillRefused extends Error {}

interface Walk {
  ctx: FedContext;
  documentLoader: DocumentLoader;
  owner: RemoteActor;
  origin: string;
  fetched: number;
  stored: number;
  cutoff: number;
}

/**
 * The signed loader, for documents on the source's own server only: an outbox listing URLs
 * elsewhere (another server, a private address, `javascript:`) gets nothing fetched for them.
 */
function onlyOrigin(load: DocumentLoader, origin: string, owner: string): DocumentLoader {
  return async (url) => {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (parsed?.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      logger.warn("Backfill of {owner}: not fetching {url}, it is not on {origin}", { owner, url, origin });
      throw new BackfillRefused(`${url} is not on ${origin}`);
    }
    return load(url);
  };
}

/** A collection or page of the owner's outbox, fetched signed; refused when on another server. */
async function fetchOnOrigin(walk: Walk, url: URL): Promise<APObject | null> {
  if (url.origin !== walk.origin) throw new BackfillRefused(`${url.href} is not on ${walk.origin}`);
  const found = await walk.ctx.lookupObject(url.href, { documentLoader: walk.documentLoader });
  return found instanceof APObject ? found : null;
}

/** One outbox entry: a Create of the owner's object (embedded or by URL), or the object itself. */
async function ingestEntry(walk: Walk, entry: unknown): Promise<"stored" | "refused" | "too-old"> {
  let object: unknown = entry;
  let carrier = entry as { toJsonLd(): Promise<unknown> };
  if (entry instanceof Announce) return "refused"; // boosts are others' writing, not the source's
  if (entry instanceof Create) {
    if (entry.actorId?.href !== walk.owner.iri || entry.id?.origin !== walk.origin) {
      logger.warn("Backfill of {actor}: skipping {id}, a Create by someone else", {
        actor: walk.owner.iri,
        id: entry.id?.href,
      });
      return "refused";
    }
    object = await entry.getObject({ documentLoader: walk.documentLoader }).catch(() => null);
    carrier = entry;
  }
  const published = (object as APObject | null)?.published?.epochMilliseconds;
  if (published != null && published < walk.cutoff) return "too-old";
  const item = await ingestAuthoredObject(
    walk.ctx.data.db,
    walk.owner,
    object,
    carrier,
    walk.ctx.contextLoader,
    "backfill",
  );
  return item ? "stored" : "refused";
}

async function walkOutbox(walk: Walk, backfillId: string, outbox: URL): Promise<void> {
  const db = walk.ctx.data.db;
  const collection = await fetchOnOrigin(walk, outbox);
  if (!(collection instanceof Collection)) throw new BackfillRefused("its outbox is not a collection");
  await recordBackfillProgress(db, backfillId, {
    fetched: 0,
    stored: 0,
    total: collection.totalItems != null ? Math.min(collection.totalItems, BACKFILL_LIMITS.items) : null,
  });
  // Items right in the collection (small outboxes), else its first page and the pages after it.
  let page: APObject | null = collection.firstId ? await fetchOnOrigin(walk, collection.firstId) : collection;
  const seen = new Set<string>();
  for (let pages = 0; page != null && pages < BACKFILL_LIMITS.pages; pages++) {
    if (!(page instanceof Collection)) throw new BackfillRefused("an outbox page is not a collection page");
    const id = page.id?.href ?? `#${pages}`;
    if (seen.has(id)) {
      logger.warn("Backfill of {actor}: page {id} came round again; stopping", { actor: walk.owner.iri, id });
      return;
    }
    seen.add(id);
    const listed = Math.min(page.itemIds.length, BACKFILL_LIMITS.itemsPerPage);
    let read = 0;
    for await (const entry of page.getItems({ documentLoader: walk.documentLoader, suppressError: true })) {
      if (read >= BACKFILL_LIMITS.itemsPerPage || walk.fetched >= BACKFILL_LIMITS.items) break;
      read++;
      walk.fetched++;
      const outcome = await ingestEntry(walk, entry);
      if (outcome === "too-old") return;
      if (outcome === "stored") walk.stored++;
      if (walk.fetched % 10 === 0) await recordBackfillProgress(db, backfillId, walk);
    }
    if (read < listed) {
      logger.warn("Backfill of {actor}: {n} entries of page {id} could not be read (or were skipped)", {
        actor: walk.owner.iri,
        n: listed - read,
        id,
      });
    }
    if (walk.fetched >= BACKFILL_LIMITS.items) return;
    const next: URL | null =
      page instanceof OrderedCollectionPage || page instanceof CollectionPage ? page.nextId : null;
    page = next ? await fetchOnOrigin(walk, next) : null;
  }
}

/**
 * Walks a source's outbox newest first (bounded by BACKFILL_LIMITS), storing what it published
 * before the hub followed it, through the same checks as inbox objects. Never throws: a failure
 * is recorded on the backfill row (and shown to curators), and the job is not retried.
 */
export async function runBackfill(services: Services, job: BackfillJob): Promise<void> {
  const backfill = await findBackfill(services.db, job.backfillId);
  if (backfill?.state !== "running") return;
  const stored = await services.db.query.remoteActors.findFirst({
    where: eq(remoteActors.id, backfill.actorId),
  });
  if (!stored) return;
  const ctx = fedContext(services);
  const walk: Walk = {
    ctx,
    documentLoader: onlyOrigin(
      await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR }),
      new URL(stored.iri).origin,
      stored.iri,
    ),
    owner: stored,
    origin: new URL(stored.iri).origin,
    fetched: 0,
    stored: 0,
    cutoff: Date.now() - BACKFILL_LIMITS.maxAgeDays * 86_400_000,
  };
  try {
    const actor = await ctx.lookupObject(stored.iri, { documentLoader: walk.documentLoader });
    if (!isActor(actor) || actor.id?.href !== stored.iri)
      throw new BackfillRefused("the actor could not be fetched");
    // The fresh profile also refreshes consent and place before anything is stored.
    walk.owner = await upsertRemoteActor(services.db, actor, services.config).catch((error) => {
      if (isRefusedActor(error)) throw new BackfillRefused(error.message);
      throw error;
    });
    if (actor.outboxId == null) throw new BackfillRefused("the actor has no outbox");
    await walkOutbox(walk, backfill.id, actor.outboxId);
    await recordBackfillProgress(services.db, backfill.id, walk);
    await finishBackfill(services.db, backfill.id, "done");
    logger.info("Backfill of {actor}: read {fetched}, stored {stored}", {
      actor: stored.iri,
      fetched: walk.fetched,
      stored: walk.stored,
    });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    logger.warn("Backfill of {actor} failed: {message}", { actor: stored.iri, message });
    await recordBackfillProgress(services.db, backfill.id, walk).catch(() => {});
    await finishBackfill(services.db, backfill.id, "failed", message);
  }
}
