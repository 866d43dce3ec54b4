import type { Object as APObject, DocumentLoader } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Db } from "../db/client.ts";
import type { Item } from "../domain/items.ts";
import type { RemoteActor } from "../domain/remote-actors.ts";
import { isIngestedObject, storeRemoteObject } from "../ingest/remote-object.ts";
import { detailsFromTerms, receivedTerms } from "./library-terms.ts";

const logger = getLogger(["baltic", "ingest"]);

/**
 * DESIGN.md §5 rules 2 and 3 for one object, wherever it came from (an inbox activity, an outbox
 * page, a boost): it is the author's own, with its id on the author's server. Compares ids, never
 * `url`. Returns why not, or null when the object passes.
 */
export function authorshipProblem(object: APObject, authorIri: string): string | null {
  if (object.id == null) return "it has no id";
  const author = new URL(authorIri);
  if (object.attributionId?.href !== author.href) return `it is not attributed to ${author.href}`;
  if (object.id.origin !== author.origin) return `its id is not on ${author.origin}`;
  return null;
}

/**
 * Checks a received object and stores it as an item of `author`: the one path of the inbox, the
 * backfill and boosts into storeRemoteObject. `document` is what carried the object (the activity
 * as it came), for our JSON-LD terms. Returns the item, or null (with a log line) when refused.
 */
export async function ingestAuthoredObject(
  db: Db,
  author: RemoteActor,
  object: unknown,
  document: { toJsonLd(): Promise<unknown> },
  contextLoader: DocumentLoader,
  via: string,
): Promise<Item | null> {
  if (!isIngestedObject(object)) {
    const type = (object as { constructor?: { name?: string } } | null)?.constructor?.name ?? "nothing";
    logger.info("Ignoring a {type} from {actor} ({via}): not a type we keep", {
      type,
      actor: author.iri,
      via,
    });
    return null;
  }
  const problem = authorshipProblem(object, author.iri);
  if (problem) {
    logger.warn("Ignoring {object} from {actor} ({via}): {problem}", {
      object: object.id?.href,
      actor: author.iri,
      via,
      problem,
    });
    return null;
  }
  const terms = await receivedTerms(document, object, contextLoader);
  return storeRemoteObject(db, author, object, { details: detailsFromTerms(terms) });
}
