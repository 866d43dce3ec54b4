import { Temporal } from "@js-temporal/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KvStoreWithList } from "../server/federation/kv.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";

/** Fedify 2's list() and cas() on top of @fedify/postgres's store (the circuit breaker needs cas). */
describe("KvStoreWithList", () => {
  let db: TestDatabase;
  let kv: KvStoreWithList;

  beforeAll(async () => {
    db = await createTestDatabase();
    kv = new KvStoreWithList(db.sql);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("stores objects and reads them back as objects", async () => {
    await kv.set(["a", "1"], { n: 1, tags: ["x"] });
    expect(await kv.get(["a", "1"])).toEqual({ n: 1, tags: ["x"] });
  });

  it("lists by key prefix", async () => {
    await kv.set(["list", "x"], 1);
    await kv.set(["list", "y"], 2);
    await kv.set(["other", "z"], 3);
    const entries: unknown[] = [];
    for await (const entry of kv.list(["list"])) entries.push(entry);
    expect(entries).toEqual([
      { key: ["list", "x"], value: 1 },
      { key: ["list", "y"], value: 2 },
    ]);
  });

  it("compares and swaps atomically", async () => {
    expect(await kv.cas(["cas", "k"], undefined, { v: 1 })).toBe(true);
    expect(await kv.get(["cas", "k"])).toEqual({ v: 1 });
    expect(await kv.cas(["cas", "k"], { v: 2 }, { v: 3 })).toBe(false);
    expect(await kv.cas(["cas", "k"], { v: 1 }, { v: 3 })).toBe(true);
    expect(await kv.get(["cas", "k"])).toEqual({ v: 3 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => kv.cas(["cas", "k"], { v: 3 }, { v: 4 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("honours time-to-live", async () => {
    await kv.set(["ttl", "k"], "soon gone", { ttl: Temporal.Duration.from({ milliseconds: 200 }) as never });
    expect(await kv.get(["ttl", "k"])).toBe("soon gone");
    await new Promise((r) => setTimeout(r, 1100));
    expect(await kv.get(["ttl", "k"])).toBeUndefined();
  });
});
