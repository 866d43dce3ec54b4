import { parseHTML } from "linkedom";
import sanitize from "sanitize-html";

// The one HTML allow-list (DESIGN §5 rule 6): remote content, imported pages and editor input all
// pass through sanitizeHtml() before storage and before rendering.

export const allowedTags: readonly string[] = [
  "p",
  "br",
  "hr",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "a",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "del",
  "ins",
  "sub",
  "sup",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "figure",
  "figcaption",
  "img",
  "span",
  "abbr",
  "mark",
  "small",
];

/** Elements whose text is dropped with them (code, styles, form state), not kept as loose text. */
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "iframe",
  "noembed",
  "noframes",
  "xmp",
  "template",
  "title",
];

const LINK_REL = "nofollow noopener noreferrer";

const OPTIONS: sanitize.IOptions = {
  allowedTags: [...allowedTags],
  allowedAttributes: {
    a: ["href", "rel", "title", "class"],
    img: ["src", "alt", "title", "width", "height", "loading"],
    ol: ["start"],
    th: ["colspan", "rowspan"],
    td: ["colspan", "rowspan"],
    span: ["class"],
    abbr: ["title"],
  },
  // Mastodon-style mention and hashtag markup keeps its classes; nothing else does.
  allowedClasses: {
    a: ["mention", "hashtag", "u-url"],
    span: ["mention", "hashtag", "h-card", "invisible", "ellipsis"],
  },
  // sanitize-html decodes entities and strips whitespace/control characters before checking the scheme.
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: {
    // The page title is the only h1.
    h1: "h2",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }),
    img: (tagName, { src, ...attribs }) => {
      // Images must be absolute http(s): a relative src would request our own origin.
      const absolute = src !== undefined && /^https?:\/\//i.test(src.trim());
      return {
        tagName,
        attribs: absolute
          ? { src: src.trim(), ...attribs, loading: "lazy" }
          : { ...attribs, loading: "lazy" },
      };
    },
  },
  // An image left without a source shows nothing; drop it.
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
};

/** Returns `html` reduced to the allow-list: safe to store and to render as-is. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS).trim();
}

const SKIPPED = new Set([...DROPPED_WITH_CONTENT, "head", "object", "embed", "svg", "math"]);
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "mark",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
  "u",
  "var",
]);

interface TextNodeLike {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  firstChild: TextNodeLike | null;
  nextSibling: TextNodeLike | null;
  parentNode: TextNodeLike | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/**
 * Walks sibling by sibling without recursion: linkedom rebuilds `childNodes` on every access
 * (indexing it in a loop took minutes on 100 kB of tags), and deep nesting overflowed the stack.
 */
function collectText(root: TextNodeLike, out: string[]): void {
  const blocks: boolean[] = []; // per element entered: whether leaving it separates words
  let node = root.firstChild;
  while (node) {
    if (node.nodeType === TEXT_NODE) {
      out.push(node.nodeValue ?? "");
    } else if (node.nodeType === ELEMENT_NODE && !SKIPPED.has(node.nodeName.toLowerCase())) {
      // Block boundaries separate words: "<p>a</p><p>b</p>" is "a b", not "ab".
      const block = !INLINE.has(node.nodeName.toLowerCase());
      if (block) out.push(" ");
      if (node.firstChild) {
        blocks.push(block);
        node = node.firstChild;
        continue;
      }
      if (block) out.push(" ");
    }
    while (!node.nextSibling) {
      node = node.parentNode;
      if (node == null || node === root) return;
      if (blocks.pop()) out.push(" ");
    }
    node = node.nextSibling;
  }
}

/**
 * Plain text of `html` for titles, summaries and OpenGraph: tags stripped, entities decoded,
 * whitespace collapsed. The result is text, not HTML — escape it when rendering.
 */
export function htmlToText(html: string): string {
  // Without markup or entities (most titles, every empty summary) there is nothing to parse.
  if (!/[<&\0]/.test(html)) return html.replace(/\s+/g, " ").trim();
  // Parsed as a whole document: setting innerHTML re-parents every node recursively (deep
  // nesting overflowed the stack).
  const { document } = parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
  const out: string[] = [];
  collectText(document.body as unknown as TextNodeLike, out);
  return out.join("").replace(/\s+/g, " ").trim();
}
