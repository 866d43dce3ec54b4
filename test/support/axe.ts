import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";

const require = createRequire(import.meta.url);
// The axe-core package's own build, injected into the page as it is (no network).
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0–2.2, levels A and AA: what issue 11 asks of every page. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** Selectors of the first few offending elements. */
  targets: string[];
}

/**
 * Runs axe-core in the page and returns its serious and critical violations (what the issue
 * allows none of). Works with JavaScript disabled in the page: Playwright's evaluation runs anyway.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate("typeof window.axe !== 'undefined'");
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const script = `window.axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(TAGS)} }, resultTypes: ["violations"] })
    .then((result) => result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => String(n.target)) })))`;
  return (await page.evaluate(script)) as AxeViolation[];
}

/** One scripted twin per context without JavaScript, kept for the context's life (cheaper). */
const twins = new WeakMap<BrowserContext, Promise<Page>>();

async function twinOf(
  context: BrowserContext,
  viewport: { width: number; height: number } | null,
): Promise<Page> {
  let twin = twins.get(context);
  if (!twin) {
    const browser = context.browser();
    if (!browser) throw new Error("the page has no browser");
    twin = browser.newContext({ viewport }).then(async (scripted) => {
      context.on("close", () => void scripted.close().catch(() => {}));
      await scripted.route(/\.m?js(\?|$)/, (route) => route.abort());
      return scripted.newPage();
    });
    twins.set(context, twin);
  }
  return twin;
}

/**
 * The same for a page opened with JavaScript disabled, where axe cannot run (its timers never
 * fire): the page is opened again in a context with JavaScript on, the same cookies, and every
 * script request refused, so axe sees the page as it was without scripts (the CSP refuses inline
 * scripts, so none run). Only for GET pages: it requests the URL again.
 */
export async function axeViolationsWithoutScripts(page: Page): Promise<AxeViolation[]> {
  const twin = await twinOf(page.context(), page.viewportSize());
  await twin.context().clearCookies();
  await twin.context().addCookies(await page.context().cookies());
  await twin.goto(page.url());
  return axeViolations(twin);
}
