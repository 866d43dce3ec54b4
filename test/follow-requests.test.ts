import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { listFollowers, listFollowing } from "../server/domain/follows.ts";
import { answerFollowRequest, followRemote, parseFollowTarget } from "../server/services/following.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";

/** Accounts that approve followers by hand: Follow held as pending, then Accept or Reject. */
describe("follow requests", () => {
  let library: InProcessInstance;
  let reader: InProcessInstance;

  beforeAll(async () => {
    [library, reader] = await Promise.all([startInProcess(), startInProcess()]);
  });
  afterAll(async () => {
    await Promise.all([library?.stop(), reader?.stop()]);
  });

  it("holds a Follow for approval, and approving sends Accept", async () => {
    const closed = await createAccount(library.db, {
      username: "closed",
      name: "Members only",
      manuallyApprovesFollowers: true,
    });
    const alice = await createAccount(reader.db, { username: "alice", name: "Alice" });
    await followRemote(reader, alice, new URL("/users/closed", library.url).href);
    const pending = await waitFor(
      async () => (await listFollowers(library.db, closed.id, { state: "pending" }))[0],
      {
        what: "pending request",
      },
    );
    expect(await listFollowers(library.db, closed.id)).toEqual([]);
    expect((await listFollowing(reader.db, alice.id))[0]?.state).toBe("pending");

    expect(await answerFollowRequest(library, closed, pending.actor.id, "Accept")).toBe(true);
    await waitFor(async () => (await listFollowing(reader.db, alice.id))[0]?.state === "accepted", {
      what: "accepted",
    });
    expect((await listFollowers(library.db, closed.id)).map((f) => f.actor.iri)).toEqual([
      new URL("/users/alice", reader.url).href,
    ]);
  });

  it("rejecting sends Reject and keeps the actor out of the followers", async () => {
    const closed = await createAccount(library.db, {
      username: "closed2",
      name: "Members only 2",
      manuallyApprovesFollowers: true,
    });
    const bob = await createAccount(reader.db, { username: "bob", name: "Bob" });
    await followRemote(reader, bob, new URL("/users/closed2", library.url).href);
    const pending = await waitFor(
      async () => (await listFollowers(library.db, closed.id, { state: "pending" }))[0],
      {
        what: "pending request",
      },
    );
    await answerFollowRequest(library, closed, pending.actor.id, "Reject");
    await waitFor(async () => (await listFollowing(reader.db, bob.id))[0]?.state === "rejected", {
      what: "rejected",
    });
    expect(await listFollowers(library.db, closed.id)).toEqual([]);
  });

  it("understands the ways people write whom to follow", () => {
    expect(parseFollowTarget("@lnb@biblioteka.lt")).toEqual({ kind: "handle", value: "@lnb@biblioteka.lt" });
    expect(parseFollowTarget("lnb@biblioteka.lt")).toEqual({ kind: "handle", value: "@lnb@biblioteka.lt" });
    expect(parseFollowTarget(" https://biblioteka.lt/users/lnb ")).toEqual({
      kind: "url",
      value: "https://biblioteka.lt/users/lnb",
    });
    expect(() => parseFollowTarget("ftp://x/y")).toThrow(/target/);
    expect(() => parseFollowTarget("just words")).toThrow(/neither an actor URL nor @user@host/);
  });
});
