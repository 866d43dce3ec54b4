import { ValidationError } from "../domain/errors.ts";
import type { SearchSort } from "./params.ts";

/** Where a page of search results ends: the last row's sort key. */
export interface SearchPosition {
  sort: SearchSort;
  /** ts_rank as PostgreSQL printed it (a real prints and reads back exactly); relevance only. */
  rank?: string;
  published: Date;
  id: string;
}

export function encodeSearchCursor(position: SearchPosition): string {
  const parts = [
    position.sort === "date" ? "d" : "r",
    position.rank ?? "",
    position.published.toISOString(),
    position.id,
  ];
  return Buffer.from(parts.join("|")).toString("base64url");
}

/** Exactly what encodeSearchCursor writes, for the sort asked for; anything else is a 400. */
export function decodeSearchCursor(cursor: string, sort: SearchSort): SearchPosition {
  const invalid = () => new ValidationError("cursor", "is not a cursor this server gave out");
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  const [kind, rank, iso, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || (kind === "d" ? "date" : kind === "r" ? "relevance" : null) !== sort)
    throw invalid();
  if (sort === "relevance" ? !/^\d{1,9}(\.\d{1,12})?(e[-+]\d{1,2})?$/.test(rank ?? "") : rank !== "")
    throw invalid();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso ?? "")) throw invalid();
  const published = new Date(iso ?? "");
  if (
    Number.isNaN(published.getTime()) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? "")
  ) {
    throw invalid();
  }
  return { sort, rank: sort === "relevance" ? rank : undefined, published, id: id ?? "" };
}
