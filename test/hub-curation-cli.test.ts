import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../server/db/ids.ts";
import { items } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { runCli } from "./support/instance.ts";
import { storeRemoteLibrary } from "./support/stored-sources.ts";

/** The curator commands on one database, without a server: help, actions, idempotence, errors. */
describe("hub curation on the command line", { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const iri = "https://riga.example/users/riga/articles/1";
  const url = "https://riga.example/news/1";
  const cli = (...args: string[]) => runCli(args, env);
  const state = async () => {
    const [row] = await db.sql<{ state: string; featured: boolean }[]>`
      SELECT c.state, c.featured_at IS NOT NULL AS featured FROM curation c JOIN items i ON i.id = c.item_id WHERE i.iri = ${iri}`;
    return row;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-curation-cli-")),
      PUBLIC_URL: "https://hub.example",
      INSTANCE_ROLE: "hub",
    };
    await createAccount(db.db, { username: "hub", name: "Baltic hub" });
    const actorId = await storeRemoteLibrary(db.db, {
      host: "riga.example",
      username: "riga",
      name: "Rīgas bibliotēka",
    });
    await db.db.insert(items).values({
      id: uuidv7(),
      iri,
      url,
      type: "Article",
      title: "Izstāde",
      remoteActorId: actorId,
      published: new Date(),
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("lists the commands and documents their arguments", async () => {
    const all = await cli("--help");
    for (const name of [
      "hub approve",
      "hub hide",
      "hub restore",
      "hub feature",
      "hub unfeature",
      "hub auto-approve",
    ]) {
      expect(all.stdout).toContain(name);
    }
    const one = await cli("hub", "auto-approve", "--help");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("<on|off>");
  });

  it("approves by page URL, features once (a second feature queues no second Announce), unfeatures", async () => {
    expect(await state()).toMatchObject({ state: "pending", featured: false });
    const approved = await cli("hub", "approve", url);
    expect(approved.stdout).toContain(`Approved ${iri}`);
    expect((await cli("hub", "approve", iri)).stdout).toContain("is already approved");
    expect((await cli("hub", "feature", iri)).code).toBe(0);
    const twice = await cli("hub", "feature", iri);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain("already featured: no second Announce was sent");
    expect(await state()).toMatchObject({ state: "approved", featured: true });
    expect((await cli("hub", "unfeature", iri)).stdout).toContain(`Unfeatured ${iri}: Undo queued`);
    const restoreApproved = await cli("hub", "restore", iri);
    expect(restoreApproved.stdout).toContain("is already approved");
    const audit = await db.sql<{ action: string }[]>`SELECT action FROM audit_log ORDER BY id`;
    expect(audit.map((a) => a.action)).toEqual(["item.approve", "item.feature", "item.unfeature"]);
  });

  it("names the argument at fault", async () => {
    const unknown = await cli("hub", "hide", "https://riga.example/nothing");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("item: no received item https://riga.example/nothing");
    const missing = await cli("hub", "hide");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/item/);
    const library = await runCli(["hub", "approve", iri], { ...env, INSTANCE_ROLE: "library" });
    expect(library.code).toBe(1);
    expect(library.stderr).toContain("INSTANCE_ROLE: this instance is not a hub");
  });
});
