import { SKILL_LEVELS } from "../db/schema/index.ts";
import { ValidationError } from "../domain/errors.ts";
import { HUB_KINDS, type HubKind } from "../domain/hub-kinds.ts";

export const MAX_SEARCH_PAGE = 100;
export const DEFAULT_SEARCH_PAGE = 20;
/** Longer text is no search anyone types; refusing it keeps the tsquery small. */
export const MAX_QUERY_LENGTH = 1000;

export type SearchSort = "relevance" | "date";

/** A validated search: what the API, the page and the feeds ask of server/search/query.ts. */
export interface SearchRequest {
  /** The text, cleaned of what PostgreSQL cannot take (NUL, lone surrogates); "" for none. */
  q: string;
  country?: string;
  library?: string;
  kind?: HubKind;
  language?: string;
  tag?: string;
  audience?: string;
  skill?: string;
  /** Inclusive start and exclusive end of the published date range. */
  from?: Date;
  to?: Date;
  sort: SearchSort;
  limit: number;
  cursor?: string;
}

/** The query parameters a search takes (the API's, the page's and the feeds'). */
export const SEARCH_PARAMETERS = [
  "q",
  "country",
  "library",
  "type",
  "language",
  "tag",
  "audience",
  "skill",
  "from",
  "to",
  "sort",
  "limit",
  "cursor",
] as const;
export type SearchParameter = (typeof SEARCH_PARAMETERS)[number];

/**
 * Text as PostgreSQL accepts it: no NUL (text cannot hold it), no lone surrogates (not UTF-8),
 * no other control characters, whitespace collapsed.
 */
export function cleanQueryText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, " ")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function optionalText(name: string, value: string | undefined, max: number): string | undefined {
  if (value == null) return undefined;
  const cleaned = cleanQueryText(value);
  if (cleaned === "") return undefined;
  if (cleaned.length > max) throw new ValidationError(name, `must be at most ${max} characters`);
  return cleaned;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first instant of that period (UTC), or of the next one. */
function parseDate(name: string, value: string | undefined, end: boolean): Date | undefined {
  if (value == null || value === "") return undefined;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const [, y, m, d] = match ?? [];
  const year = Number(y);
  const month = m ? Number(m) : 1;
  const day = d ? Number(d) : 1;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || year < 1900 || year > 2999 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ValidationError(name, "must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
  }
  if (!end) return date;
  // "to=2026" includes all of 2026: the range ends where the next year (month, day) begins.
  if (d) return new Date(Date.UTC(year, month - 1, day + 1));
  if (m) return new Date(Date.UTC(year, month, 1));
  return new Date(Date.UTC(year + 1, 0, 1));
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value == null || value === "") return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(name, `must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

/** Validates a search's query parameters; a bad one throws a ValidationError naming it (400). */
export function parseSearchParams(read: (name: SearchParameter) => string | undefined): SearchRequest {
  const q = read("q") ?? "";
  if (q.length > MAX_QUERY_LENGTH)
    throw new ValidationError("q", `must be at most ${MAX_QUERY_LENGTH} characters`);
  const country = read("country");
  if (country && !/^[A-Za-z]{2}$/.test(country)) {
    throw new ValidationError("country", "must be a two-letter country code (LT)");
  }
  const library = read("library");
  if (library && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(library)) {
    throw new ValidationError("library", "must be a library id as the facets give it");
  }
  const language = read("language");
  if (language && !/^[A-Za-z]{2,3}$/.test(language)) {
    throw new ValidationError("language", "must be a language code (lt, lv, en)");
  }
  const limitText = read("limit");
  let limit = DEFAULT_SEARCH_PAGE;
  if (limitText != null && limitText !== "") {
    if (!/^\d{1,6}$/.test(limitText)) throw new ValidationError("limit", "must be a whole number");
    limit = Number(limitText);
    if (limit < 1 || limit > MAX_SEARCH_PAGE) {
      throw new ValidationError("limit", `must be between 1 and ${MAX_SEARCH_PAGE}`);
    }
  }
  const from = parseDate("from", read("from"), false);
  const to = parseDate("to", read("to"), true);
  if (from && to && from >= to) throw new ValidationError("to", "must not be before from");
  const cursor = read("cursor");
  if (cursor != null && cursor.length > 200)
    throw new ValidationError("cursor", "is not a cursor this server gave out");
  return {
    q: cleanQueryText(q),
    country: country ? country.toUpperCase() : undefined,
    library: library || undefined,
    kind: oneOf("type", read("type"), HUB_KINDS),
    language: language ? language.toLowerCase() : undefined,
    tag: optionalText("tag", read("tag"), 200)?.toLowerCase(),
    audience: optionalText("audience", read("audience"), 200),
    skill: oneOf("skill", read("skill"), SKILL_LEVELS),
    from,
    to,
    sort: oneOf("sort", read("sort"), ["relevance", "date"] as const) ?? (q.trim() ? "relevance" : "date"),
    limit,
    cursor: cursor || undefined,
  };
}

/** The query string of a search (for next-page links, facet links and feed links). */
export function searchQueryString(
  request: SearchRequest,
  changes: Partial<Record<SearchParameter, string | undefined>> = {},
): string {
  const iso = (d: Date | undefined) => d?.toISOString().slice(0, 10);
  // `to` is kept as the exclusive end; the day before is what the person asked for.
  const toDay = request.to ? iso(new Date(request.to.getTime() - 86_400_000)) : undefined;
  const values: Partial<Record<SearchParameter, string | undefined>> = {
    q: request.q || undefined,
    country: request.country,
    library: request.library,
    type: request.kind,
    language: request.language,
    tag: request.tag,
    audience: request.audience,
    skill: request.skill,
    from: iso(request.from),
    to: toDay,
    sort: request.sort === (request.q ? "relevance" : "date") ? undefined : request.sort,
    ...changes,
  };
  const params = new URLSearchParams();
  for (const name of SEARCH_PARAMETERS) {
    const value = values[name];
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
