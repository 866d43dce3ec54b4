import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { runCli, type SpawnedInstance, spawnInstance } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

interface ApiItem {
  id: string;
  title: string;
  type: string;
  author: { id: string };
}

async function items(instance: SpawnedInstance): Promise<ApiItem[]> {
  const response = await fetch(new URL("/api/v1/items?limit=100", instance.url));
  return ((await response.json()) as { items: ApiItem[] }).items;
}

async function queueDepth(db: TestDatabase): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM queue_messages`;
  return row?.n ?? 0;
}

/**
 * Two real server processes on loopback, each on its own PostgreSQL database, with signature
 * verification on: the whole follow → publish → update → delete → unfollow cycle.
 */
describe("two instances federating over HTTP", () => {
  let dbA: TestDatabase;
  let dbB: TestDatabase;
  let a: SpawnedInstance;
  let b: SpawnedInstance;
  const cliA = (args: string[]) => runCli(args, a.env);
  const cliB = (args: string[]) => runCli(args, b.env);

  beforeAll(async () => {
    [dbA, dbB] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const dataDir = () => mkdtempSync(join(tmpdir(), "baltic-2i-"));
    [a, b] = await Promise.all([
      spawnInstance({ DATABASE_URL: dbA.url, DATA_DIR: dataDir() }),
      spawnInstance({ DATABASE_URL: dbB.url, DATA_DIR: dataDir(), INSTANCE_ROLE: "hub" }),
    ]);
    const created = await Promise.all([
      cliA([
        "accounts",
        "create",
        "--username",
        "vilnius",
        "--name",
        "Vilnius City Library",
        "--country",
        "LT",
      ]),
      cliB(["accounts", "create", "--username", "hub", "--name", "Baltic hub", "--country", "LV"]),
    ]);
    for (const result of created) expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await Promise.all([dbA?.drop(), dbB?.drop()]);
  });

  it("follows, receives, updates, deletes and stops receiving after unfollow", async () => {
    const actorA = new URL("/users/vilnius", a.url).href;

    const follow = await cliB(["follows", "create", "--account", "hub", "--target", actorA]);
    expect(follow.code, follow.stderr).toBe(0);
    expect(follow.stdout).toContain(actorA);
    await waitFor(
      async () =>
        (await cliB(["follows", "list", "--account", "hub"])).stdout.includes(
          `following\taccepted\t${actorA}`,
        ),
      { what: "B's follow to be accepted", timeoutMs: 30_000 },
    );
    const listA = await cliA(["follows", "list", "--account", "vilnius"]);
    expect(listA.stdout).toContain(`follower\taccepted\t${new URL("/users/hub", b.url).href}`);

    // A profile change reaches the follower as Update(Organization).
    const renamed = await cliA([
      "accounts",
      "update",
      "--username",
      "vilnius",
      "--name",
      "Vilnius City Municipal Library",
    ]);
    expect(renamed.code, renamed.stderr).toBe(0);
    await waitFor(
      async () => {
        const [row] = await dbB.sql<{ name: string }[]>`SELECT name FROM remote_actors WHERE iri = ${actorA}`;
        return row?.name === "Vilnius City Municipal Library";
      },
      { what: "B to see A's new name", timeoutMs: 30_000 },
    );

    const post = await cliA([
      "posts",
      "create",
      "--language",
      "en",
      "--account",
      "vilnius",
      "--title",
      "Library Specialist's Space launched",
      "--summary",
      "A one-stop hub for library professionals: news, research, trainings and webcasts.",
      "--content",
      "<p>The National Library of Lithuania launched the <strong>Library Specialist's Space</strong>.</p>",
      "--language",
      "en",
      "--tag",
      "libraries",
    ]);
    expect(post.code, post.stderr).toBe(0);
    const url = post.stdout.trim();
    expect(url).toMatch(new RegExp(`^${a.url.href}users/vilnius/articles/`));

    const received = await waitFor(async () => (await items(b)).find((i) => i.id === url), {
      what: "the article on B",
      timeoutMs: 30_000,
    });
    expect(received.title).toBe("Library Specialist's Space launched");
    expect(received.author.id).toBe(actorA);
    // The bundled server still knows Fedify's classes by name (esbuild keepNames).
    expect(received.type).toBe("Article");
    const [actorRow] = await dbB.sql<
      { type: string }[]
    >`SELECT type FROM remote_actors WHERE iri = ${actorA}`;
    expect(actorRow?.type).toBe("Organization");

    const update = await cliA(["posts", "update", url, "--title", "Library Specialist's Space: now open"]);
    expect(update.code, update.stderr).toBe(0);
    await waitFor(
      async () =>
        (await items(b)).find((i) => i.id === url && i.title === "Library Specialist's Space: now open"),
      {
        what: "the updated title on B",
        timeoutMs: 30_000,
      },
    );

    const del = await cliA(["posts", "delete", url]);
    expect(del.code, del.stderr).toBe(0);
    await waitFor(async () => !(await items(b)).some((i) => i.id === url), {
      what: "the article gone from B",
      timeoutMs: 30_000,
    });
    const gone = await fetch(url, { headers: { Accept: "application/activity+json" } });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { type: string }).type).toBe("Tombstone");

    const unfollow = await cliB(["follows", "delete", "--account", "hub", "--target", actorA]);
    expect(unfollow.code, unfollow.stderr).toBe(0);
    await waitFor(
      async () => !(await cliA(["follows", "list", "--account", "vilnius"])).stdout.includes("follower\t"),
      {
        what: "A to drop its follower",
        timeoutMs: 30_000,
      },
    );

    const after = await cliA([
      "posts",
      "create",
      "--language",
      "en",
      "--account",
      "vilnius",
      "--title",
      "After the unfollow",
      "--summary",
      "This one must not reach B.",
      "--content",
      "<p>Not for B.</p>",
    ]);
    expect(after.code, after.stderr).toBe(0);
    // Wait until A's queue has drained (nothing left to deliver), then B must not have it.
    await waitFor(async () => (await queueDepth(dbA)) === 0, { what: "A's queue to drain" });
    await new Promise((r) => setTimeout(r, 500));
    expect((await items(b)).some((i) => i.id === after.stdout.trim())).toBe(false);
  }, 180_000);
});
