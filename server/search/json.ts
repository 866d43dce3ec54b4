import type { SearchResult } from "./search.ts";

/** The API's answer: `{ items, facets, total, next }`, items shaped as /api/v1/items shapes them. */
export function searchJson(result: SearchResult) {
  return {
    items: result.hits.map(({ item, author, country, kind, languages, snippet }) => ({
      id: item.iri,
      url: item.url,
      type: item.type,
      kind,
      title: item.title,
      summary: item.summary,
      // Safe HTML: escaped text with the matched words in <mark>.
      snippet,
      language: item.language,
      languages,
      country,
      published: item.published.toISOString(),
      updated: item.updated?.toISOString() ?? null,
      tags: item.tags,
      starts_at: item.startsAt?.toISOString() ?? null,
      ends_at: item.endsAt?.toISOString() ?? null,
      details: item.details ?? null,
      library: item.accountId ?? item.remoteActorId,
      author,
    })),
    facets: Object.fromEntries(
      Object.entries(result.facets).map(([name, values]) => [
        name,
        values.map((v) => ({
          value: v.value,
          count: v.count,
          ...(name === "library" && { label: result.libraries.get(v.value)?.name ?? null }),
        })),
      ]),
    ),
    total: result.total,
    // More matches than the counts cover (10,000): total and facets are of the first 10,000.
    total_capped: result.capped,
    corrected: result.corrected,
    next: result.next,
  };
}
