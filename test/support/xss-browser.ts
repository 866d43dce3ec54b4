import type { Browser, BrowserContext, Page } from "playwright-core";
import { allowedTags } from "../../server/ingest/sanitize.ts";

type Cookies = Parameters<BrowserContext["addCookies"]>[0];

/**
 * Chromium hooks that turn "a payload ran" into a test failure (DESIGN.md §5 rule 6). Every page is
 * opened twice: as served (with the CSP) and with the CSP bypassed, so a pass proves the sanitizer
 * and the templates hold on their own, not only the CSP. The scripts are strings, not functions, so
 * no transpiler helper ends up in the page.
 */

/** Runs before any page script: traps for the markers, CSP reports, the globals there were. */
const INIT_SCRIPT = `(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", { value: hits });
  Object.defineProperty(window, "__xss", {
    get() { return undefined; },
    set(v) { hits.push("marker __xss=" + String(v)); },
  });
  document.addEventListener("securitypolicyviolation", (e) => {
    hits.push("csp " + e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
  }, true);
  // Synthetic clicks run inline handlers and follow non-http links (so a javascript: one runs),
  // but never leave the page otherwise (Chromium follows links on auxclick too).
  const stay = (e) => {
    const link = e.target instanceof Element ? e.target.closest("a[href], area[href]") : null;
    let scheme = "";
    try { scheme = link ? new URL(link.getAttribute("href"), document.baseURI).protocol : ""; } catch {}
    if (!link || !scheme || scheme === "http:" || scheme === "https:" || scheme === "mailto:") e.preventDefault();
  };
  for (const type of ["click", "auxclick", "dblclick"]) window.addEventListener(type, stay, true);
  const baseline = Object.getOwnPropertyNames(window);
  baseline.push("__xssBaseline");
  Object.defineProperty(window, "__xssBaseline", { value: baseline });
})()`;

/** Fires the events inline handlers listen to on every element of the page. */
const TRIGGER_SCRIPT = `(() => {
  const types = ["click", "mouseover", "pointerover", "focus", "animationstart", "toggle"];
  for (const el of document.querySelectorAll("body *")) {
    for (const type of types) {
      const Kind = type.startsWith("pointer") ? PointerEvent
        : type.startsWith("mouse") || type.endsWith("click") ? MouseEvent : Event;
      try { el.dispatchEvent(new Kind(type, { bubbles: true, cancelable: true })); } catch {}
    }
  }
})()`;

/** The progressive-enhancement scripts our pages load, each a same-origin file. */
const OUR_SCRIPTS = [
  "/search.js",
  "/admin/editor-preview.js",
  "/directory/map.js",
  "/admin/curation/curation.js",
];

/** Everything in the DOM that could run code or point somewhere other than http(s). */
const SCAN_SCRIPT = (contentTags: string[]) => `(() => {
  const out = [];
  const contentTags = new Set(${JSON.stringify(contentTags)});
  const ourScripts = new Set(${JSON.stringify(OUR_SCRIPTS)});
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "poster", "background",
    "ping", "cite", "codebase", "longdesc", "manifest", "icon", "lowsrc", "dynsrc"]);
  const forbidden = new Set(["script", "iframe", "frame", "frameset", "object", "embed", "applet",
    "base", "style", "svg", "math", "template", "noscript", "portal", "animate", "set", "use",
    "foreignobject", "handler", "plaintext", "xmp", "listing", "isindex", "param", "marquee"]);
  const where = (el) => "<" + el.localName + "> in " + (el.parentElement ? el.parentElement.localName : "-");
  for (const el of document.querySelectorAll("*")) {
    const name = el.localName.toLowerCase();
    // Our own enhancement scripts (same origin, from a file, no inline text) are the one exception.
    const ours = name === "script" && ourScripts.has(el.getAttribute("src")) && el.textContent === "";
    if (forbidden.has(name) && !ours) out.push("element " + where(el) + ": " + el.outerHTML.slice(0, 120));
    if (name === "meta" && el.hasAttribute("http-equiv")) out.push("meta http-equiv " + el.outerHTML);
    if (name === "link" && !["stylesheet", "canonical", "alternate"].includes(el.getAttribute("rel"))) {
      out.push("link " + el.outerHTML);
    }
    if (el.closest(".content") && el !== el.closest(".content") && !contentTags.has(name)) {
      out.push("non-allow-listed element in content " + where(el));
    }
    if (name === "img" && !el.closest(".content, figure") && !el.matches(".banner, .avatar")) {
      out.push("stray image " + el.outerHTML.slice(0, 120));
    }
    for (const attr of el.getAttributeNames()) {
      const lower = attr.toLowerCase();
      const value = el.getAttribute(attr) || "";
      if (lower.startsWith("on")) out.push("handler " + lower + " on " + where(el));
      // Chromium shows a text/plain answer in a <pre style> of its own.
      const viewer = document.contentType !== "text/html" && name === "pre";
      if ((lower === "style" && !viewer) || lower === "srcdoc" || lower === "srcset") {
        out.push(lower + " on " + where(el));
      }
      if (urlAttrs.has(lower) || lower.endsWith(":href")) {
        let scheme = "invalid";
        try { scheme = new URL(value, document.baseURI).protocol; } catch {}
        if (!["http:", "https:", "mailto:"].includes(scheme)) {
          out.push(lower + "=" + JSON.stringify(value.slice(0, 80)) + " on " + where(el));
        }
      }
    }
  }
  return out;
})()`;

/** After a pause for handlers that fire asynchronously (failed images, timers): the outcome. */
const COLLECT_SCRIPT = (
  contentTags: string[],
) => `new Promise((resolve) => setTimeout(resolve, 30)).then(() => ({
  hits: window.__xssHits ? [...window.__xssHits] : ["init script did not run"],
  globals: Object.getOwnPropertyNames(window).filter((n) => !window.__xssBaseline.includes(n)),
  unsafe: ${SCAN_SCRIPT(contentTags)},
  text: document.body ? document.body.textContent : "",
}))`;

/** A page by URL; given HTML served at a URL (with the given headers); or a form filled and sent. */
export type Visit =
  | { goto: string }
  | { html: string; url: string; headers?: Record<string, string> }
  | { submit: { path: string; values: Record<string, string> } };

interface Collected {
  hits: string[];
  globals: string[];
  unsafe: string[];
  text: string;
}

interface Slot {
  page: Page;
  events: string[];
  /** Set once the page under test has loaded: any later navigation is the page's own doing. */
  armed: boolean;
}

interface Lane {
  name: string;
  context: BrowserContext;
  free: Slot[];
  waiting: ((slot: Slot) => void)[];
}

/**
 * Chromium switches for these checks. Content links images on other sites: their lookups fail at
 * once instead of going out. A renderer per navigation is most of the cost of a page on two cores;
 * sharing renderers changes nothing a page's scripts can do.
 */
export const OFFLINE_ARGS = [
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  "--renderer-process-limit=2",
  "--disable-site-isolation-trials",
];

/** What ran (a marker, a dialog, a script error, a navigation) and what could run (DOM). */
export interface Findings {
  executed: string[];
  unsafe: string[];
}

/** Browser-side outcomes: ran (executed) or could run (unsafe DOM); both must stay empty. */
export class XssProbe implements Findings {
  readonly executed: string[] = [];
  readonly unsafe: string[] = [];
  readonly uncovered: string[] = [];
  pages = 0;
  private readonly lanes: Lane[] = [];

  private constructor() {}

  /**
   * Two contexts, one honouring the CSP and one bypassing it, each with `width` pages so that
   * checks can run side by side. Launch the browser with OFFLINE_ARGS.
   */
  static async open(browser: Browser, width = 1): Promise<XssProbe> {
    const probe = new XssProbe();
    for (const [name, bypassCSP] of [
      ["csp", false],
      ["no-csp", true],
    ] as const) {
      const context = await browser.newContext({ bypassCSP, locale: "en-GB" });
      await context.addInitScript(INIT_SCRIPT);
      const lane: Lane = { name, context, free: [], waiting: [] };
      for (let i = 0; i < width; i++) lane.free.push(XssProbe.#slot(await context.newPage()));
      probe.lanes.push(lane);
    }
    return probe;
  }

  static #slot(page: Page): Slot {
    const slot: Slot = { page, events: [], armed: false };
    page.on("dialog", (dialog) => {
      slot.events.push(`dialog ${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    page.on("pageerror", (error) => slot.events.push(`page error (a script ran): ${error.message}`));
    page.on("request", (request) => {
      if (!/^https?:/i.test(request.url())) slot.events.push(`request to ${request.url().slice(0, 100)}`);
    });
    page.on("framenavigated", (frame) => {
      if (!/^(https?:|about:blank$)/i.test(frame.url())) slot.events.push(`navigation to ${frame.url()}`);
      else if (slot.armed && frame === page.mainFrame()) slot.events.push(`navigated away to ${frame.url()}`);
    });
    return slot;
  }

  async addCookies(cookies: Cookies): Promise<void> {
    for (const { context } of this.lanes) await context.addCookies(cookies);
  }

  /** Opens one page in both contexts, records anything that ran or could run; returns its text. */
  async check(label: string, visit: Visit, into: Findings = this): Promise<string> {
    this.pages++;
    const texts = await Promise.all(
      this.lanes.map(async (lane) => {
        const slot = lane.free.pop() ?? (await new Promise<Slot>((resolve) => lane.waiting.push(resolve)));
        try {
          return await this.#checkIn(slot, `${label} [${lane.name}]`, visit, into);
        } finally {
          const next = lane.waiting.shift();
          if (next) next(slot);
          else lane.free.push(slot);
        }
      }),
    );
    return texts[0] ?? "";
  }

  async #checkIn(slot: Slot, at: string, visit: Visit, into: Findings): Promise<string> {
    const { page } = slot;
    slot.events.length = 0;
    slot.armed = false;
    if ("goto" in visit) {
      await page.goto(visit.goto);
    } else if ("html" in visit) {
      // Served, not setContent(): document.open() would drop the init script's listeners.
      const { url, html, headers } = visit;
      await page.route(url, (route) => route.fulfill({ contentType: "text/html", headers, body: html }));
      await page.goto(url);
      await page.unroute(url);
    } else {
      await page.goto(visit.submit.path);
      await Promise.all([
        page.waitForNavigation(),
        page.evaluate(SUBMIT_SCRIPT(visit.submit.values, Object.keys(visit.submit.values))),
      ]);
    }
    slot.armed = true;
    let collected: Collected = { hits: [], globals: [], unsafe: [], text: "" };
    try {
      await page.evaluate(TRIGGER_SCRIPT);
      collected = (await page.evaluate(COLLECT_SCRIPT([...allowedTags]))) as Collected;
    } catch (error) {
      // The page went away under us: a navigation it started itself.
      await page.waitForLoadState().catch(() => {});
      slot.events.push(`page replaced during the check, now at ${page.url()}: ${(error as Error).message}`);
    }
    slot.armed = false;
    for (const event of [...slot.events, ...collected.hits]) into.executed.push(`${at}: ${event}`);
    for (const name of collected.globals) into.executed.push(`${at}: new global ${name}`);
    for (const finding of collected.unsafe) into.unsafe.push(`${at}: ${finding}`);
    return collected.text;
  }

  async close(): Promise<void> {
    for (const { context } of this.lanes) await context.close();
  }
}

/** Fills the form the named fields belong to and submits it without constraint validation. */
const SUBMIT_SCRIPT = (values: Record<string, string>, names: string[]) => `(() => {
  const values = ${JSON.stringify(values)};
  const form = document.querySelector(${JSON.stringify(names.map((n) => `form [name="${n}"]`).join(", "))}).form;
  for (const [name, value] of Object.entries(values)) form.elements.namedItem(name).value = value;
  HTMLFormElement.prototype.submit.call(form);
})()`;

/** Ids that markers reported: "dialog alert: 12", "marker __xss=12". */
export function markerIds(executed: string[]): number[] {
  const ids = executed.flatMap((e) => /(?:dialog \w+: |__xss=)(\d+)$/.exec(e)?.slice(1) ?? []);
  return [...new Set(ids.map(Number))];
}

/** The "older" link of a list page, resolved, or null on the last page. */
export async function nextPage(url: string): Promise<string | null> {
  const html = await (await fetch(url, { headers: { Accept: "text/html" } })).text();
  const href = /<nav class="pager"[^>]*>[\s\S]*?<a href="([^"]+)" rel="next"/.exec(html)?.[1];
  return href ? new URL(href.replaceAll("&amp;", "&"), url).href : null;
}

/** The headers a page was served with that matter to rendering it again (its CSP above all). */
export function htmlHeaders(response: Response): Record<string, string> {
  const csp = response.headers.get("content-security-policy");
  return csp ? { "Content-Security-Policy": csp } : {};
}
