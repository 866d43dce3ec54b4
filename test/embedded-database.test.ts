import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";

/** No DATABASE_URL: the server runs PGlite persisted in DATA_DIR, and the CLI shares it. */
describe("embedded database (PGlite)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "baltic-embedded-"));
  let server: SpawnedInstance | undefined;

  afterAll(async () => {
    await server?.kill("SIGKILL");
  });

  it("keeps data across restarts and lets the CLI work with and without the running server", async () => {
    // The CLI alone (no server running) opens the files itself.
    const offline = await runCli(
      ["accounts", "create", "--username", "riga", "--name", "Riga Central Library", "--country", "LV"],
      { DATA_DIR: dataDir, DATABASE_URL: "" },
    );
    expect(offline.code, offline.stderr).toBe(0);

    server = await spawnInstance({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const setup = await fetch(new URL("/setup", server.url));
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain('name="password"');

    // While the server runs, the CLI reaches its database over the loopback socket.
    const online = await runCli(
      [
        "posts",
        "create",
        "--account",
        "riga",
        "--title",
        "BIBLIO digital skills",
        "--summary",
        "40 librarians trained.",
        "--content",
        "<p>Good practice.</p>",
      ],
      server.env,
    );
    expect(online.code, online.stderr).toBe(0);
    const articleUrl = online.stdout.trim();

    await server.kill("SIGTERM");
    server = await spawnInstance({ DATA_DIR: dataDir, DATABASE_URL: "" }, server.port);

    const actor = await fetch(new URL("/users/riga", server.url), {
      headers: { Accept: "application/activity+json" },
    });
    expect(actor.status).toBe(200);
    expect(((await actor.json()) as { name: string }).name).toBe("Riga Central Library");
    const article = await fetch(articleUrl, { headers: { Accept: "application/activity+json" } });
    expect(article.status).toBe(200);
    expect(((await article.json()) as { name: string }).name).toBe("BIBLIO digital skills");
  }, 120_000);
});
