import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedDataDir, runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";
import { WebClient } from "./support/web-client.ts";

const ADMIN = { email: "admin@library.example", password: "a very secret admin password" };

/**
 * Secrets never reach logs, error messages or API responses: a real server on the embedded
 * database at LOG_LEVEL=debug is driven through setup, sign-in, a failed sign-in, an account,
 * a post and CLI commands, then everything it printed and answered is searched.
 */
describe("secrets stay secret", { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: SpawnedInstance;
  const answers: string[] = [];
  const cliOutput: string[] = [];
  let sessionCookie = "";

  beforeAll(async () => {
    dataDir = embeddedDataDir();
    server = await spawnInstance({ DATA_DIR: dataDir, LOG_LEVEL: "debug" });
    const admin = new WebClient(server.url);
    await admin.page("/setup");
    await admin.postForm("/setup", ADMIN);
    sessionCookie = admin.cookies.get("session") ?? "";
    const wrong = new WebClient(server.url);
    await wrong.page("/login");
    answers.push(await (await wrong.postForm("/login", { ...ADMIN, password: `${ADMIN.password}!` })).text());
    await admin.postForm("/admin/accounts", { username: "riga", name: "Riga Central Library" });
    const cli = (args: string[]) => runCli(args, { ...server.env, LOG_LEVEL: "debug" });
    for (const result of await Promise.all([
      cli([
        "posts",
        "create",
        "--language",
        "en",
        "--account",
        "riga",
        "--title",
        "T",
        "--summary",
        "S",
        "--content",
        "<p>x</p>",
      ]),
      cli(["users", "create", "--email", "e@library.example", "--role", "editor", "--password-stdin"]),
      cli(["follows", "list", "--account", "riga"]),
    ])) {
      cliOutput.push(result.stdout, result.stderr);
    }
    for (const path of ["/api/v1/items", "/users/riga", "/nodeinfo/2.1", "/api/v1/nothing"]) {
      const response = await fetch(new URL(path, server.url), {
        headers: { Accept: path === "/users/riga" ? "application/activity+json" : "application/json" },
      });
      answers.push(await response.text());
    }
    answers.push(await (await admin.page("/admin/accounts/riga")).html);
  });
  afterAll(async () => {
    await server?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints no password, session, secret key, database password or private key", async () => {
    const secrets: Record<string, string> = {
      "the admin's password": ADMIN.password,
      "the session cookie": sessionCookie,
      "DATA_DIR/secret_key": readFileSync(join(dataDir, "secret_key"), "utf8").trim(),
      "the embedded database's password": readFileSync(join(dataDir, "postgres.password"), "utf8").trim(),
    };
    expect(sessionCookie).not.toBe("");
    const everything = [server.output(), ...cliOutput, ...answers].join("\n");
    // The run did log plenty at debug level: the search below is over real output.
    expect(server.output()).toMatch(/DBG/);
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(8);
      expect(everything.includes(secret), `${what} appears in the output`).toBe(false);
    }
    expect(everything).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // JWK private-key members, and scrypt password hashes.
    expect(everything).not.toMatch(/"(d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{20,}"/);
    expect(everything).not.toMatch(/scrypt\$\d+\$/);
  });
});
