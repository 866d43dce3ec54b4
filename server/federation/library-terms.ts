import type { DocumentLoader } from "@fedify/vocab";
import { Article, Event, Video } from "@fedify/vocab";
import jsonld from "@fedify/vocab-runtime/jsonld";
import {
  type PracticeDetails,
  RESOURCE_TYPES,
  type ResourceDetails,
  type ResourceType,
} from "../db/schema/index.ts";
import { preparePractice } from "../domain/practices.ts";

/**
 * Our own JSON-LD terms (docs/federation.md, ADR 0007): what kind of library content an object
 * is and a good practice's metadata, machine-readable so that a hub can facet on them.
 * Fedify's vocabulary has no way to add properties, so the classes below add them where Fedify
 * turns an object into JSON; the terms survive Fedify's compaction of the `Create` as full IRIs,
 * and receivers read them after JSON-LD expansion, whatever the sender's context looked like.
 */
export const LIBRARY_NS = "https://w3id.org/baltic-libraries/ns#";

/** Compact term → its IRI, as every object we serve declares it inline (nothing to fetch). */
export const LIBRARY_TERMS = [
  "contentKind",
  "geographicScope",
  "targetAudience",
  "skillLevel",
  "country",
  "fundingType",
  "funder",
  "partner",
  "periodStart",
  "periodEnd",
  "reach",
  "results",
  "contact",
  "resourceType",
] as const;
export type LibraryTerm = (typeof LIBRARY_TERMS)[number];

export const LIBRARY_CONTEXT = {
  bl: LIBRARY_NS,
  ...Object.fromEntries(LIBRARY_TERMS.map((term) => [term, `bl:${term}`])),
};

/** Term values: plain strings, one or several. */
export type LibraryTerms = Partial<Record<LibraryTerm, string | string[]>>;

type JsonLdOptions = { format?: "compact" | "expand" } & Record<string, unknown>;

function valuesOf(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/** Adds the terms to Fedify's JSON of the object, in the form it was asked for. */
function addTerms(json: unknown, terms: LibraryTerms, options: JsonLdOptions): unknown {
  const entries = Object.entries(terms).filter(([, v]) => v != null && valuesOf(v).length > 0);
  if (entries.length === 0) return json;
  if (options.format === "expand") {
    const node = (Array.isArray(json) ? json[0] : json) as Record<string, unknown>;
    for (const [term, value] of entries) {
      node[LIBRARY_NS + term] = valuesOf(value as string | string[]).map((v) => ({ "@value": v }));
    }
    return json;
  }
  const doc = json as Record<string, unknown>;
  for (const [term, value] of entries) doc[term] = value;
  doc["@context"] = [...[doc["@context"] ?? []].flat(), LIBRARY_CONTEXT];
  return doc;
}

/** An `Article` (news, a resource, a good practice) with our terms. */
export class LibraryArticle extends Article {
  libraryTerms: LibraryTerms = {};
  override async toJsonLd(options: Parameters<Article["toJsonLd"]>[0] = {}): Promise<unknown> {
    return addTerms(await super.toJsonLd(options), this.libraryTerms, options as JsonLdOptions);
  }
  override clone(...args: Parameters<Article["clone"]>): Article {
    const copy = super.clone(...args) as LibraryArticle;
    copy.libraryTerms = this.libraryTerms;
    return copy;
  }
}

/** An `Event` with our terms. */
export class LibraryEvent extends Event {
  libraryTerms: LibraryTerms = {};
  override async toJsonLd(options: Parameters<Event["toJsonLd"]>[0] = {}): Promise<unknown> {
    return addTerms(await super.toJsonLd(options), this.libraryTerms, options as JsonLdOptions);
  }
  override clone(...args: Parameters<Event["clone"]>): Event {
    const copy = super.clone(...args) as LibraryEvent;
    copy.libraryTerms = this.libraryTerms;
    return copy;
  }
}

/** A `Video` (a webcast) with our terms. */
export class LibraryVideo extends Video {
  libraryTerms: LibraryTerms = {};
  override async toJsonLd(options: Parameters<Video["toJsonLd"]>[0] = {}): Promise<unknown> {
    return addTerms(await super.toJsonLd(options), this.libraryTerms, options as JsonLdOptions);
  }
  override clone(...args: Parameters<Video["clone"]>): Video {
    const copy = super.clone(...args) as LibraryVideo;
    copy.libraryTerms = this.libraryTerms;
    return copy;
  }
}

export function withTerms<T extends { libraryTerms: LibraryTerms }>(object: T, terms: LibraryTerms): T {
  object.libraryTerms = terms;
  return object;
}

const MAX_VALUES = 20;
const MAX_VALUE = 2000;

function findNode(value: unknown, id: string, depth = 0): Record<string, unknown> | null {
  if (depth > 8 || value == null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = findNode(entry, id, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const node = value as Record<string, unknown>;
  if (node["@id"] === id) return node;
  for (const [key, entry] of Object.entries(node)) {
    if (key.startsWith("@")) continue;
    const found = findNode(entry, id, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Our terms on the object `objectId` inside a received document (the activity or the object
 * itself, as it came), read after JSON-LD expansion; {} when it has none. Hostile input: values
 * are strings only, bounded in number and length.
 */
export async function readLibraryTerms(
  document: unknown,
  objectId: string,
  contextLoader: DocumentLoader,
): Promise<LibraryTerms> {
  // Cheap test first: expansion costs milliseconds, and most senders know nothing of our terms.
  if (!JSON.stringify(document).includes(LIBRARY_NS)) return {};
  let expanded: unknown;
  try {
    expanded = await jsonld.expand(document as object, {
      documentLoader: contextLoader as unknown as Parameters<typeof jsonld.expand>[1]["documentLoader"],
    });
  } catch {
    return {};
  }
  const node = findNode(expanded, objectId);
  if (!node) return {};
  const terms: LibraryTerms = {};
  for (const term of LIBRARY_TERMS) {
    const values = node[LIBRARY_NS + term];
    if (!Array.isArray(values)) continue;
    const strings = values
      .map((v) => (v && typeof v === "object" ? (v as Record<string, unknown>)["@value"] : undefined))
      .filter((v): v is string => typeof v === "string" && v.length > 0)
      .slice(0, MAX_VALUES)
      .map((v) => v.slice(0, MAX_VALUE));
    if (strings.length > 0) terms[term] = strings.length === 1 ? (strings[0] as string) : strings;
  }
  return terms;
}

/** One value of a term (the first), or its values as a list. */
export function termText(terms: LibraryTerms, term: LibraryTerm): string | undefined {
  const value = terms[term];
  return Array.isArray(value) ? value[0] : value;
}

export function termList(terms: LibraryTerms, term: LibraryTerm): string[] {
  const value = terms[term];
  return value == null ? [] : valuesOf(value);
}

/**
 * Our terms on a received object: read from the activity as it came (where Fedify keeps the body
 * it parsed), else from the object's own document when Fedify fetched it by its id.
 */
export async function receivedTerms(
  activity: { toJsonLd(): Promise<unknown> },
  object: { id: URL | null; toJsonLd(): Promise<unknown> },
  contextLoader: DocumentLoader,
): Promise<LibraryTerms> {
  if (object.id == null) return {};
  const received = await activity.toJsonLd();
  // An embedded object came in the activity: re-serializing it (a JSON-LD compaction) on every
  // received Create would only cost time. Only an object Fedify fetched has a document of its own.
  const embedded = typeof (received as { object?: unknown } | null)?.object === "object";
  const fromActivity = await readLibraryTerms(received, object.id.href, contextLoader);
  if (embedded || Object.keys(fromActivity).length > 0) return fromActivity;
  return readLibraryTerms(await object.toJsonLd(), object.id.href, contextLoader);
}

/**
 * A good practice's metadata from our terms, checked by the same rules as our editors' input;
 * null when the object is no good practice or its terms break the rules (it is then kept as a
 * plain article).
 */
export function practiceFromTerms(terms: LibraryTerms): PracticeDetails | null {
  if (termText(terms, "contentKind") !== "practice") return null;
  try {
    return preparePractice({
      scope: termText(terms, "geographicScope") ?? "",
      audiences: termList(terms, "targetAudience"),
      skillLevel: termText(terms, "skillLevel"),
      countries: termList(terms, "country"),
      fundingType: termText(terms, "fundingType"),
      funder: termText(terms, "funder"),
      partners: termList(terms, "partner"),
      periodStart: termText(terms, "periodStart"),
      periodEnd: termText(terms, "periodEnd"),
      reach: termText(terms, "reach"),
      results: termText(terms, "results"),
      contact: termText(terms, "contact"),
    });
  } catch {
    return null;
  }
}

/**
 * A received resource's kind from our terms; its document comes from its attachments
 * (remote-object.ts). Null when the object is no resource or names an unknown resource type.
 */
export function resourceFromTerms(terms: LibraryTerms): ResourceDetails | null {
  if (termText(terms, "contentKind") !== "resource") return null;
  const resourceType = termText(terms, "resourceType");
  if (!RESOURCE_TYPES.includes(resourceType as ResourceType)) return null;
  return { kind: "resource", resourceType: resourceType as ResourceType, authors: [] };
}

/** The details our terms give a received object: a good practice's or a resource's. */
export function detailsFromTerms(terms: LibraryTerms): PracticeDetails | ResourceDetails | null {
  return practiceFromTerms(terms) ?? resourceFromTerms(terms);
}
