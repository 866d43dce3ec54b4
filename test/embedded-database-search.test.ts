import { afterAll, describe, expect, it } from "vitest";
import { sharedBuffersMb } from "../server/db/embedded/server.ts";
import { connectEmbedded } from "./support/embedded.ts";
import { embeddedDataDir, runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";

/** Migration 0013 and the search SQL on the embedded PostgreSQL 18 (the tests' other server is 15). */
describe("search on the embedded PostgreSQL", () => {
  let server: SpawnedInstance | undefined;

  afterAll(async () => {
    await server?.kill("SIGTERM");
  });

  it("has unaccent, pg_trgm and the lithuanian configuration, and finds inflected and unaccented forms", async () => {
    server = await spawnInstance({ DATA_DIR: embeddedDataDir(), DATABASE_URL: "" });
    const env = server.env;
    const cli = (...args: string[]) => runCli(args, env);
    expect(
      (await cli("accounts", "create", "--username", "kaunas", "--name", "Kaunas", "--country", "LT")).code,
    ).toBe(0);
    const posts: [string, string, string][] = [
      ["lt", "Skaitymo valandos bibliotekose", "<p>Kas šeštadienį vaikai skaito kartu su tėvais.</p>"],
      ["lv", "Jauna bibliotēka pilsētā", "<p>Lasīšanas pēcpusdienas bērniem un vecākiem.</p>"],
    ];
    for (const [language, title, content] of posts) {
      const made = await cli(
        "posts",
        "create",
        "--account",
        "kaunas",
        "--title",
        title,
        "--summary",
        title,
        "--content",
        content,
        "--language",
        language,
      );
      expect(made.code, made.stderr).toBe(0);
    }
    const titles = async (q: string) => {
      const response = await fetch(new URL(`/api/v1/search?q=${encodeURIComponent(q)}`, server?.url));
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: { title: string }[] }).items.map((i) => i.title).sort();
    };
    expect(await titles("biblioteka")).toEqual([
      "Jauna bibliotēka pilsētā",
      "Skaitymo valandos bibliotekose",
    ]);
    expect(await titles("bibloteka")).toContain("Jauna bibliotēka pilsētā");
    // Only operators: no word to match, so the (absent) filters decide, and nothing fails.
    expect(await titles('"&|!:*()<->')).toHaveLength(2);
  }, 120_000);

  it("gives PostgreSQL a page cache sized for the machine, not its 128 MB default", async () => {
    server ??= await spawnInstance({ DATA_DIR: embeddedDataDir(), DATABASE_URL: "" });
    const database = connectEmbedded(server.env.DATA_DIR ?? "");
    try {
      const [row] = await database.sql<{ mb: number }[]>`
        SELECT (setting::bigint * current_setting('block_size')::int / 1048576)::int AS mb
        FROM pg_settings WHERE name = 'shared_buffers'`;
      expect(row?.mb).toBe(sharedBuffersMb());
    } finally {
      await database.close();
    }
  }, 120_000);
});
