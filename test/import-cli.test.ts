import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { type ImportSite, startImportSite } from "./support/import-site.ts";
import { runCli } from "./support/instance.ts";

/** `import page` and `import feed` through the real CLI process, against a local website. */
describe("import commands", { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let site: ImportSite;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);
  const count = async (table: "drafts" | "items") =>
    (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${db.sql(table)}`)[0]?.n;

  beforeAll(async () => {
    [db, site] = await Promise.all([createTestDatabase(), startImportSite()]);
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-import-cli-")),
      PUBLIC_URL: "https://lib.example",
      // The website runs on loopback, as the test's own server.
      ALLOW_PRIVATE_ADDRESS: "true",
    };
    const created = await cli(
      "accounts",
      "create",
      "--username",
      "panevezys",
      "--name",
      "Panevėžio biblioteka",
    );
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([db?.drop(), site?.close()]);
  });

  it("documents both commands", async () => {
    const help = await cli("import", "feed", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run cli -- import feed <url> --account U [options]");
    expect(help.stdout).toContain("--limit N");
    expect((await cli("--help")).stdout).toContain("import page <url> --account U");
  });

  it("imports a page as a draft and prints where to review it", async () => {
    const result = await cli(
      "import",
      "page",
      site.url("/naujienos/vasaros-skaitymo-issukis"),
      "--account",
      "panevezys",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^https:\/\/lib\.example\/admin\/accounts\/panevezys\/drafts\/[0-9a-f-]{36}$/,
    );
    expect(await count("drafts")).toBe(1);
    expect(await count("items")).toBe(0);
  });

  it("publishes a page with --publish and prints the post's URL", async () => {
    const result = await cli(
      "import",
      "page",
      site.url("/naujienos/bibliotekos-naktis"),
      "--account",
      "panevezys",
      "--publish",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^https:\/\/lib\.example\/users\/panevezys\/articles\/[0-9a-f-]{36}$/,
    );
    expect(await count("items")).toBe(1);
  });

  it("names the problem with a bad page and exits 1, storing nothing", async () => {
    for (const [path, message] of [
      ["/naujienos/nera", /Error: url: .* answered 404 Not Found/],
      ["/ataskaita.pdf", /Error: url: is not a web page: .* is application\/pdf/],
      ["/hop/6", /Error: url: could not be fetched: too many redirects \(more than 5\)/],
      ["/huge", /Error: url: could not be fetched: response larger than 3145728 bytes/],
      ["/naujienos", /Error: url: no article found on/],
    ] as const) {
      const result = await cli("import", "page", site.url(path), "--account", "panevezys");
      expect(result.code, path).toBe(1);
      expect(result.stderr, path).toMatch(message);
    }
    const strict = await runCli(
      ["import", "page", site.url("/naujienos/vasaros-skaitymo-issukis"), "--account", "panevezys"],
      { ...env, ALLOW_PRIVATE_ADDRESS: "false" },
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("Error: url: could not be fetched: refusing private address 127.0.0.1");
    expect(await count("drafts")).toBe(1);
    expect(await count("items")).toBe(1);
  });

  it("backfills a feed with progress on stderr and a summary, then skips what it imported", async () => {
    await db.sql`DELETE FROM drafts`;
    const first = await cli(
      "import",
      "feed",
      site.url("/feed.rss"),
      "--account",
      "panevezys",
      "--limit",
      "5",
    );
    expect(first.code, first.stderr).toBe(0);
    // Not a terminal: one progress line per entry instead of a redrawn bar.
    expect(first.stderr).toContain("Importing 1/2 imported 1, skipped 0, failed 0");
    expect(first.stderr).toContain("Importing 2/2 imported 2, skipped 0, failed 0");
    expect(first.stdout).toContain("Imported 2, skipped 0 (imported before), failed 0 of 2 entries");
    expect(await count("drafts")).toBe(2);
    const again = await cli("import", "feed", site.url("/feed.rss"), "--account", "panevezys");
    expect(again.stdout).toContain("Imported 0, skipped 2 (imported before), failed 0 of 2 entries");
  });

  it("publishes a feed's entries with --publish and lists failures with their reasons", async () => {
    site.pages.set("/mixed.rss", {
      type: "application/rss+xml",
      body: (await (await fetch(site.url("/feed.rss"))).text())
        .replaceAll("kaunas-news-", "mixed-")
        .replace("/naujienos/bibliotekos-naktis", "/naujienos/dingo"),
    });
    const result = await cli("import", "feed", site.url("/mixed.rss"), "--account", "panevezys", "--publish");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Imported 1, skipped 0 (imported before), failed 1 of 2 entries");
    expect(result.stdout).toMatch(/failed\t.*\/naujienos\/dingo\tentry link: .* answered 404 Not Found/);
    expect(result.stderr).toContain("Error: 1 of 2 entries failed (listed above)");
  });

  it("says clearly that a malformed feed is not a feed, and checks --limit", async () => {
    const broken = await cli("import", "feed", site.url("/broken.xml"), "--account", "panevezys");
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /Error: feed: .*\/broken\.xml is not a valid RSS or Atom feed \(Unclosed root tag\)/,
    );
    const limit = await cli(
      "import",
      "feed",
      site.url("/feed.rss"),
      "--account",
      "panevezys",
      "--limit",
      "0",
    );
    expect(limit.code).toBe(1);
    expect(limit.stderr).toContain('--limit must be a positive whole number, got "0"');
  });
});
