import type { Config } from "../../server/config.ts";
import { type Account, createAccount } from "../../server/domain/accounts.ts";
import { listFollowing } from "../../server/domain/follows.ts";
import { followRemote } from "../../server/services/following.ts";
import { type InProcessInstance, startInProcess } from "./instance.ts";
import { waitFor } from "./ports.ts";

/** Two instances where B's "hub" account follows A's library (accepted): what content tests need. */
export interface FollowedLibrary {
  a: InProcessInstance;
  b: InProcessInstance;
  library: Account;
  stop(): Promise<void>;
}

/**
 * Starts A and B on loopback, creates the library on A and has B follow it, waiting for the
 * Accept: whatever A publishes then reaches B through real, signed deliveries.
 */
export async function followedLibrary(
  library: { username: string; name: string },
  configOfA: Partial<Config> = {},
): Promise<FollowedLibrary> {
  const [a, b] = await Promise.all([startInProcess(configOfA), startInProcess()]);
  const account = await createAccount(a.db, library);
  const hub = await createAccount(b.db, { username: "hub", name: "Hub" });
  await followRemote(b, hub, new URL(`/users/${library.username}`, a.url).href);
  await waitFor(async () => (await listFollowing(b.db, hub.id)).every((f) => f.state === "accepted"), {
    what: "the follow accepted",
  });
  return { a, b, library: account, stop: () => Promise.all([a.stop(), b.stop()]).then(() => {}) };
}
