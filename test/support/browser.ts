import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium (DESIGN.md §3): never a browser downloaded by Playwright. */
export function findChromium(): string | null {
  try {
    const found = execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
    if (found) return found;
  } catch {
    // `which` exits 1 when there is no such command; try the package's usual path.
  }
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}

/** `extraArgs`: more Chromium switches, such as `--host-resolver-rules` to keep a test offline. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      "Chromium not found: the browser tests need Debian's chromium package " +
        "(apt-get update && apt-get install -y chromium). Do not use `npx playwright install`.",
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

/**
 * Basic accessibility checks run inside the page: standards mode, `html[lang]`, exactly one `h1`,
 * an `alt` attribute on every image, a label for every form control and a name for every button.
 * Returns the problems.
 * A string, not a function, so no transpiler helper ends up in the page.
 */
const ACCESSIBILITY_PROBLEMS = `(() => {
  const problems = [];
  if (document.compatMode !== "CSS1Compat") problems.push("quirks mode: the page has no doctype");
  if (!document.documentElement.getAttribute("lang")?.trim()) problems.push("<html> has no lang");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(h1 + " h1 elements instead of one");
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("img without alt: " + img.getAttribute("src"));
  }
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (control.type === "hidden" || control.type === "submit" || control.type === "button") continue;
    const labels = [...(control.labels ?? [])].map((label) => label.textContent.trim()).filter(Boolean);
    const aria = control.getAttribute("aria-label")?.trim() || control.getAttribute("aria-labelledby");
    if (labels.length === 0 && !aria) problems.push("no label for " + control.tagName.toLowerCase() + " " + control.name);
  }
  for (const button of document.querySelectorAll("button")) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label")) problems.push("button without a name");
  }
  return problems;
})()`;

export async function accessibilityProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(ACCESSIBILITY_PROBLEMS)) as string[];
}
