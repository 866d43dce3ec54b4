import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAdmins } from "../server/domain/users.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { WebClient } from "./support/web-client.ts";

/** Issue 7, finding 4: concurrent first-run setups created ten admins. */
describe("first-run setup under concurrency", () => {
  let instance: InProcessInstance;

  beforeAll(async () => {
    instance = await startInProcess();
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("creates exactly one admin when ten valid setup forms arrive at once", async () => {
    const visitors = Array.from({ length: 10 }, () => new WebClient(instance.url));
    for (const visitor of visitors) await visitor.page("/setup");
    const responses = await Promise.all(
      visitors.map((visitor, i) =>
        visitor.postForm("/setup", { email: `admin${i}@lib.example`, password: "correct horse battery" }),
      ),
    );
    const locations = responses.map((r) => `${r.status} ${r.headers.get("location")}`);
    expect(locations.filter((l) => l === "303 /admin")).toHaveLength(1);
    expect(locations.filter((l) => l === "303 /login")).toHaveLength(9);
    expect(await countAdmins(instance.db)).toBe(1);
  });
});
