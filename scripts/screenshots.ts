/**
 * `npm run screenshots`: the main pages at desktop and phone widths, light and dark, written to
 * docs/screenshots/ (the README shows them). It starts a real instance on the embedded
 * PostgreSQL in a temporary DATA_DIR (or on DATABASE_URL when set), fills it with the demo
 * content of ../shared/seeds through the CLI, and drives Debian's Chromium.
 * It reuses the process helpers of the test suite (test/support): the same way to start a server.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../test/support/browser.ts";
import { runCli, spawnInstance } from "../test/support/instance.ts";

const OUT = new URL("../docs/screenshots/", import.meta.url).pathname;
const ADMIN = { email: "admin@library.example", password: "screenshots only, thrown away" };
const VARIANTS = [
  { name: "desktop", viewport: { width: 1280, height: 860 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;
const SCHEMES = ["light", "dark"] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function cli(env: Record<string, string>, args: string[], stdin?: string): Promise<string> {
  const result = await runCli(args, env, stdin);
  if (result.code !== 0) throw new Error(`cli ${args.slice(0, 2).join(" ")} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

/** Demo content from the seeds: the specialists' portal news, a good practice, an agenda event. */
async function seed(env: Record<string, string>): Promise<Record<string, string>> {
  await cli(
    env,
    ["users", "create", "--email", ADMIN.email, "--role", "admin", "--password-stdin"],
    ADMIN.password,
  );
  await cli(env, [
    "accounts",
    "create",
    "--username",
    "lnb",
    "--name",
    "Martynas Mažvydas National Library of Lithuania",
    "--summary",
    "Lithuania's national library: the Library Specialist's Space for professionals.",
  ]);
  await cli(env, [
    "accounts",
    "create",
    "--username",
    "lnb_lv",
    "--name",
    "National Library of Latvia",
    "--summary",
    "Latvijas Nacionālā bibliotēka: training and good practice for Latvia's libraries.",
  ]);
  const article = await cli(env, [
    "posts",
    "create",
    "--account",
    "lnb",
    "--language",
    "en",
    "--markdown",
    "--title",
    "Lithuania launches a unified digital hub for library professionals",
    "--summary",
    "The National Library launched the Library Specialist's Space: professional news, research and methodology, trainings and webcasts in one place.",
    "--content",
    'The National Library has launched the **Library Specialist\'s Space**, an online platform on the "one-stop shop" principle.\n\n## What it brings together\n\n- **Professional news** from Lithuania and abroad\n- **Methodology**: research, guidelines and recommendations\n- **Training**: a calendar of courses and webcasts\n\nNext: AI-based search across all of its resources.',
    "--tag",
    "libraries",
    "--tag",
    "professional_development",
  ]);
  const practice = await cli(env, [
    "posts",
    "create",
    "--type",
    "practice",
    "--account",
    "lnb_lv",
    "--language",
    "en",
    "--title",
    "BIBLIO: digital skills for Latvia's librarians",
    "--summary",
    "More than 40 librarians from all over Latvia took the BIBLIO specialisation course: 240 hours of blended training and project-based learning with mentors.",
    "--content",
    "<p>Digital transformation is changing the role of libraries. Participants describe project ideas with trainers, tutors and mentors, and implement them in their own libraries.</p>",
    "--scope",
    "national",
    "--country",
    "LV",
    "--target-audience",
    "library staff",
    "--skill-level",
    "intermediate",
    "--funding",
    "public",
    "--funder",
    "Erasmus+",
    "--partner",
    "National Library of Latvia",
    "--period-start",
    "2022-02",
    "--period-end",
    "2023-06",
    "--reach",
    "40 librarians",
    "--tag",
    "digital_skills",
  ]);
  const start = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
  const event = await cli(env, [
    "posts",
    "create",
    "--type",
    "event",
    "--account",
    "lnb",
    "--language",
    "en",
    "--title",
    "Libraries and their communities: the top 5 initiatives",
    "--summary",
    "An online seminar on hybrid collections, libraries as essential services and the Open Library concept after the pandemic.",
    "--content",
    "<p>Five initiatives from the international agenda, with examples from Lithuania and Latvia.</p>",
    "--start",
    `${start}T10:00`,
    "--end",
    `${start}T12:30`,
    "--online",
    "https://example.org/seminar",
    "--organizer",
    "Martynas Mažvydas National Library of Lithuania",
    "--audience",
    "Library professionals",
  ]);
  return { article, practice, event };
}

async function signIn(page: Page, base: URL): Promise<void> {
  await page.goto(new URL("/login", base).href);
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await Promise.all([
    page.waitForURL("**/admin"),
    page.locator('form[action="/login"] button[type="submit"]').click(),
  ]);
}

const dataDir = mkdtempSync(join(tmpdir(), "baltic-screenshots-"));
const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: "warning" };
if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
log("Starting an instance…");
const instance = await spawnInstance(env);
const browser = await launchChromium();
try {
  log("Adding the demo content…");
  const urls = await seed({ ...env, ...instance.env });
  const pages: [string, string][] = [
    ["home", "/"],
    ["article", new URL(urls.article ?? "/").pathname],
    ["practice", new URL(urls.practice ?? "/").pathname],
    ["event", new URL(urls.event ?? "/").pathname],
    ["calendar", "/users/lnb/calendar"],
    ["profile", "/users/lnb"],
    ["admin", "/admin"],
    ["editor", "/admin/accounts/lnb/posts/new"],
  ];
  mkdirSync(OUT, { recursive: true });
  let written = 0;
  for (const variant of VARIANTS) {
    for (const colorScheme of SCHEMES) {
      const context = await browser.newContext({ viewport: variant.viewport, colorScheme, locale: "en-GB" });
      const page = await context.newPage();
      await signIn(page, instance.url);
      for (const [name, path] of pages) {
        await page.goto(new URL(path, instance.url).href);
        const file = join(OUT, `${name}-${variant.name}-${colorScheme}.jpg`);
        await page.screenshot({
          path: file,
          type: "jpeg",
          quality: 70,
          fullPage: variant.name === "desktop",
        });
        written++;
        log(`  ${written}/${VARIANTS.length * SCHEMES.length * pages.length} ${file}`);
      }
      await context.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ screenshots: written, folder: OUT })}\n`);
} finally {
  await browser.close();
  await instance.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
