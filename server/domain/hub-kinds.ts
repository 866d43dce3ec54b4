import type { ItemDetails } from "../db/schema/index.ts";

/** What a hub calls an item, whatever software sent it (the search's type facet). */
export const HUB_KINDS = ["news", "webcast", "event", "resource", "practice", "other"] as const;
export type HubKind = (typeof HUB_KINDS)[number];

/** ActivityStreams types without our `contentKind` term, as docs/federation.md maps them. */
const KIND_OF_TYPE: Record<string, HubKind> = {
  Article: "news",
  Note: "news",
  Page: "news",
  Video: "webcast",
  Event: "event",
  Document: "resource",
  Question: "other",
};

/**
 * The hub kind of an item: its details' kind when it has one (our own items, and received ones
 * whose `contentKind` term said resource or practice), else its ActivityStreams type. The search
 * trigger computes the same in SQL from `items.details->>'kind'` and `items.type`: keep them equal.
 */
export function hubKindOf(item: { type: string; details: ItemDetails | null }): HubKind {
  const kind = item.details?.kind;
  if (kind != null) return kind;
  return KIND_OF_TYPE[item.type] ?? "other";
}
