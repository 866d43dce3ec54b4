import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandHelp } from "../server/cli/command.ts";
import { commands } from "../server/cli/commands/index.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { runCli } from "./support/instance.ts";

/** The operator's command line: help, clear errors naming the option, and the documented commands. */
describe("command line", { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const cli = (args: string[], stdin?: string) => runCli(args, env, stdin);

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-cli-")),
      PUBLIC_URL: "https://lib.example",
    };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("prints help for the whole CLI and for each command", async () => {
    const all = await cli(["--help"]);
    expect(all.code).toBe(0);
    for (const command of [
      "users create",
      "accounts create",
      "posts create",
      "posts delete",
      "follows create",
      "follows list",
    ]) {
      expect(all.stdout).toContain(command);
    }
    const one = await cli(["accounts", "create", "--help"]);
    expect(one.code).toBe(0);
    for (const option of ["--username U", "--icon URL", "--image URL", "--manual-approval"]) {
      expect(one.stdout).toContain(option);
    }
  });

  it("documents every option of every command in its --help", () => {
    for (const command of commands) {
      const help = commandHelp(command);
      for (const [name, spec] of Object.entries(command.options)) {
        expect(help, `${command.name} --${name}`).toMatch(new RegExp(`--${name}\\b.*\\S+`));
        expect(spec.help.trim().length, `${command.name} --${name} has a description`).toBeGreaterThan(5);
      }
    }
  });

  it("names the unknown command, the missing option and the bad value", async () => {
    const unknown = await cli(["posts", "publish"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown command "posts publish"');
    const missing = await cli(["accounts", "create", "--name", "No username"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--username is required");
    const bad = await cli(["accounts", "create", "--username", "Bad Name!", "--name", "X"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/username: use 1–30 lowercase letters/);
    const badLat = await cli([
      "accounts",
      "create",
      "--username",
      "x",
      "--name",
      "X",
      "--lat",
      "north",
      "--lon",
      "1",
    ]);
    expect(badLat.stderr).toContain('--lat must be a number, got "north"');
    const strange = await cli(["follows", "list", "--acount", "x"]);
    expect(strange.code).toBe(1);
    expect(strange.stderr).toMatch(/Unknown option '--acount'/);
  });

  it("reports a bad environment variable by name", async () => {
    const result = await runCli(["follows", "list", "--account", "x"], { ...env, NODE_TYPE: "sideways" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("NODE_TYPE");
  });

  it("creates a user from standard input, an account and a post from a Markdown file", async () => {
    const user = await cli(
      ["users", "create", "--email", "editor@lib.example", "--role", "editor", "--password-stdin"],
      "correct horse battery\n",
    );
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toContain("Created editor editor@lib.example");
    const weak = await cli(
      ["users", "create", "--email", "x@lib.example", "--role", "admin", "--password-stdin"],
      "short\n",
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("password: must be at least 10 characters");

    const account = await cli([
      "accounts",
      "create",
      "--username",
      "kaunas",
      "--name",
      "Kaunas library",
      "--country",
      "LT",
    ]);
    expect(account.stdout.trim()).toBe("https://lib.example/users/kaunas");
    const file = join(env.DATA_DIR ?? "", "post.md");
    writeFileSync(file, "# Reading week\n\nJoin **us**.\n");
    const post = await cli([
      "posts",
      "create",
      "--account",
      "kaunas",
      "--title",
      "Reading week",
      "--summary",
      "Events all week.",
      "--content-file",
      file,
      "--tag",
      "reading",
    ]);
    expect(post.code, post.stderr).toBe(0);
    expect(post.stdout.trim()).toMatch(/^https:\/\/lib\.example\/users\/kaunas\/articles\/[0-9a-f-]{36}$/);
    const [row] = await db.sql<
      { content: string }[]
    >`SELECT content FROM items WHERE iri = ${post.stdout.trim()}`;
    expect(row?.content).toContain("<strong>us</strong>");
    const both = await cli([
      "posts",
      "create",
      "--account",
      "kaunas",
      "--title",
      "T",
      "--summary",
      "S",
      "--content",
      "x",
      "--content-file",
      file,
    ]);
    expect(both.stderr).toContain("give exactly one of --content and --content-file");
    const missingAccount = await cli([
      "posts",
      "create",
      "--account",
      "nobody",
      "--title",
      "T",
      "--summary",
      "S",
      "--content",
      "x",
    ]);
    expect(missingAccount.stderr).toContain("no local account @nobody");
    const longSummary = await cli([
      "posts",
      "create",
      "--account",
      "kaunas",
      "--title",
      "T",
      "--summary",
      "s".repeat(501),
      "--content",
      "x",
    ]);
    expect(longSummary.code).toBe(1);
    expect(longSummary.stderr).toContain("summary: must be at most 500 characters (it has 501)");
  });
});
