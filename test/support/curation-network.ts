import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "./db.ts";
import { insertFollowers } from "./followers.ts";
import { type HubNetwork, type NetworkNode, startHubNetwork } from "./hub-network.ts";
import { runCli, spawnInstance } from "./instance.ts";
import { waitFor } from "./ports.ts";
import { type InboxSink, startInboxSink } from "./sink.ts";

export interface CurationNetwork extends HubNetwork {
  /** A fourth process: a library instance whose @reader follows the hub's account. */
  reader: NetworkNode;
  /** Two stand-in followers of the hub: the first accepts deliveries, the second refuses them (403). */
  sink: InboxSink;
}

/**
 * Issue 10's network: the two libraries and the hub of hub-network.ts, plus a reader instance
 * following the hub account (a real Follow, accepted over loopback with verified signatures),
 * plus two inbox sinks listed as the hub's followers, to see the Announce as sent and to refuse it.
 */
export async function startCurationNetwork(): Promise<CurationNetwork> {
  let refusing: number | undefined;
  const [net, readerDb, sink] = await Promise.all([
    startHubNetwork(),
    createTestDatabase(),
    startInboxSink(2, 0, (port: number): number => (port === refusing ? 403 : 202)),
  ]);
  refusing = sink.ports[1];
  // A failed set-up stops what it started: no server outlives the test holding connections.
  let instance: Awaited<ReturnType<typeof spawnInstance>> | undefined;
  try {
    instance = await spawnInstance({
      DATABASE_URL: readerDb.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-curnet-")),
    });
    const started = instance;
    const reader: NetworkNode = {
      instance: started,
      db: readerDb,
      cli: (args) => runCli(args, started.env),
      actor: (username) => new URL(`/users/${username}`, started.url).href,
    };
    const created = await reader.cli([
      "accounts",
      "create",
      "--username",
      "reader",
      "--name",
      "Reader library",
    ]);
    if (created.code !== 0) throw new Error(created.stderr);
    const followed = await reader.cli([
      "follows",
      "create",
      "--account",
      "reader",
      "--target",
      net.hub.actor("hub"),
    ]);
    if (followed.code !== 0) throw new Error(followed.stderr);
    await waitFor(
      async () => {
        const [row] = await readerDb.sql<{ state: string }[]>`SELECT state FROM following`;
        return row?.state === "accepted";
      },
      { what: "the hub to accept the reader's Follow", timeoutMs: 30_000 },
    );
    const [hubAccount] = await net.hub.db.sql<
      { id: string }[]
    >`SELECT id FROM accounts WHERE username = 'hub'`;
    if (!hubAccount) throw new Error("no hub account");
    await insertFollowers(net.hub.db.db, hubAccount.id, sink.ports, 1);
    return {
      ...net,
      reader,
      sink,
      async stop() {
        await Promise.all([net.stop(), started.kill().then(() => readerDb.drop()), sink.close()]);
      },
    };
  } catch (error) {
    await Promise.all([net.stop(), instance?.kill(), sink.close()]);
    await readerDb.drop();
    throw error;
  }
}
