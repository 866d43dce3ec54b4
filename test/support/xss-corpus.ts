/**
 * An XSS corpus generated from families (DESIGN.md §5 rule 6). Every payload, if it ran, would
 * leave a mark the browser hook sees: a dialog (`alert`, `confirm`, `prompt`) whose message is the
 * payload's id, or `window.__xss = id`. The markers have no quotes or spaces, so they fit in any
 * attribute context a family puts them in.
 */

import {
  BREAKOUTS,
  BROKEN,
  CSS,
  HANDLER_SYNTAX,
  HANDLERS,
  MARKDOWN,
  MATHML,
  MUTATION,
  SCHEMES,
  SCRIPT,
  SVG,
  TAGS,
  URL_CARRIERS,
  URL_VALUES,
} from "./xss-vectors.ts";

export interface Payload {
  id: number;
  family: string;
  value: string;
}

let nextId = 1;
const registry = new Map<number, Payload>();

function make(family: string, build: (js: string, id: number) => string): Payload {
  const id = nextId++;
  const payload = { id, family, value: build(marker(id), id) };
  registry.set(id, payload);
  return payload;
}

/** The payload a marker id belongs to (for failure messages). */
export function payloadById(id: number): Payload | undefined {
  return registry.get(id);
}

const charCodes = (s: string) => [...s].map((c) => c.charCodeAt(0)).join(",");

/** Code that marks payload `id` as executed; the spelling rotates to defeat naive filters. */
export function marker(id: number): string {
  const variants = [
    `alert(${id})`,
    `confirm(${id})`,
    `prompt(${id})`,
    `window.__xss=${id}`,
    `top.alert(${id})`,
    `alert\`${id}\``,
    `self[String.fromCharCode(${charCodes("alert")})](${id})`,
    `eval(String.fromCharCode(${charCodes(`alert(${id})`)}))`,
    `setTimeout(alert,0,${id})`,
    `[${id}].find(alert)`,
    `(alert)(${id})`,
    `__xss=${id}`,
  ];
  return variants[id % variants.length]!;
}

function family(name: string, templates: string[]): Payload[] {
  return templates.map((t) => make(name, (js) => t.replaceAll("JS", js)));
}

function buildHtml(): Payload[] {
  const out: Payload[] = [...family("script", SCRIPT)];
  TAGS.forEach((tag, t) => {
    HANDLERS.forEach((handler, h) => {
      const syntax = HANDLER_SYNTAX[(t + h) % HANDLER_SYNTAX.length]!;
      out.push(make("event-handler", (js) => tag(syntax(handler, js))));
    });
  });
  SCHEMES.forEach((scheme, s) => {
    // Every scheme in every carrier would be 345 payloads; a diagonal walk keeps 8 carriers each.
    for (let k = 0; k < 8; k++) {
      const carrier = URL_CARRIERS[(s + k * 2) % URL_CARRIERS.length]!;
      out.push(make("url-scheme", (js, id) => carrier(scheme(js, id))));
    }
  });
  out.push(...family("svg", SVG), ...family("mathml", MATHML), ...family("css", CSS));
  out.push(...family("mutation", MUTATION), ...family("broken", BROKEN), ...family("breakout", BREAKOUTS));
  return out;
}

/** Markup for HTML fields (remote `content`, summaries, the editor's HTML). */
export const HTML_PAYLOADS: readonly Payload[] = buildHtml();
/** Markdown-specific payloads for the editor's Markdown format (HTML ones go there too). */
export const MARKDOWN_PAYLOADS: readonly Payload[] = family("markdown", MARKDOWN);
/** Values for URL-holding fields. */
export const URL_PAYLOADS: readonly Payload[] = URL_VALUES.map((build) => make("url-value", build));
/** For plain-text fields (names, titles, tags, alt): breakouts first, then markup. */
export const TEXT_PAYLOADS: readonly Payload[] = [
  ...HTML_PAYLOADS.filter((p) => p.family === "breakout"),
  ...HTML_PAYLOADS.filter((p) => p.family !== "breakout"),
];

/** Text the page must show for the payload to count as rendered (see `htmlBody`). */
export const sentinel = (p: Payload) => `⟦${p.id}⟧`;

/** Splits `items` into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Lays payloads out in batches, each one preceded by its sentinel. A payload after which the
 * pipeline drops the rest of the document (an unclosed `<script>`, `<!--`, attribute quote…)
 * goes last in its batch, so it hides nothing else; `swallows` says which those are.
 */
export function batches(
  payloads: readonly Payload[],
  size: number,
  swallows: (p: Payload) => boolean,
): Payload[][] {
  const tail = payloads.filter(swallows);
  const rest = payloads.filter((p) => !swallows(p));
  const out = chunks(rest, size - 1);
  tail.forEach((p, i) => {
    if (i < out.length) out[i]!.push(p);
    else out.push([p]);
  });
  return out;
}

/** `<p>⟦id⟧</p>payload…`: the page text shows which payloads reached it. */
export const htmlBody = (ps: readonly Payload[]) =>
  ps.map((p) => `<p>${sentinel(p)}</p>${p.value}`).join("\n");
export const markdownBody = (ps: readonly Payload[]) =>
  ps.map((p) => `${sentinel(p)}\n\n${p.value}\n\n`).join("");
/** Payload values as one plain-text field. */
export const text = (ps: readonly Payload[]) => ps.map((p) => p.value).join(" ");

/** Cycles through a list, handing out as many payloads as fit in a field. */
export class Feed {
  #next = 0;
  constructor(readonly list: readonly Payload[]) {}

  take(maxChars: number, count = Number.POSITIVE_INFINITY): Payload[] {
    const out: Payload[] = [];
    let length = 0;
    for (let seen = 0; out.length < count && seen < this.list.length; seen++) {
      const p = this.list[this.#next % this.list.length]!;
      if (out.length > 0 && length + p.value.length + 1 > maxChars) break;
      this.#next++;
      if (p.value.length > maxChars) continue;
      out.push(p);
      length += p.value.length + 1;
    }
    return out;
  }
}

/** Payloads tried per path: placements (payload × field) and distinct payloads. */
export class Tally {
  readonly paths = new Map<string, { placements: number; ids: Set<number> }>();

  use(path: string, payloads: readonly Payload[]): Payload[] {
    const tally = this.paths.get(path) ?? { placements: 0, ids: new Set<number>() };
    tally.placements += payloads.length;
    for (const p of payloads) tally.ids.add(p.id);
    this.paths.set(path, tally);
    return [...payloads];
  }

  /** Shorthand for one payload. */
  one(path: string, payload: Payload): string {
    return this.use(path, [payload])[0]!.value;
  }

  report(): string[] {
    return [...this.paths].map(([path, t]) => `${path}: ${t.placements} placements, ${t.ids.size} distinct`);
  }
}
