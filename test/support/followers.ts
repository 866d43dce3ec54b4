import type { Db } from "../../server/db/client.ts";
import { uuidv7 } from "../../server/db/ids.ts";
import { followers, remoteActors } from "../../server/db/schema/index.ts";

/**
 * Inserts accepted followers living on the given ports (fake remote instances), `perPort` each,
 * all sharing their instance's `/inbox`. Written straight to the database: the remote side is a
 * stand-in, there is no real server to send us a Follow.
 */
export async function insertFollowers(
  db: Db,
  accountId: string,
  ports: number[],
  perPort: number,
): Promise<number> {
  const actors = ports.flatMap((port) =>
    Array.from({ length: perPort }, (_, i) => ({
      id: uuidv7(),
      iri: `http://127.0.0.1:${port}/users/u${i}`,
      type: "Person",
      handle: `u${i}@127.0.0.1:${port}`,
      name: `Follower ${i}`,
      inboxUrl: `http://127.0.0.1:${port}/users/u${i}/inbox`,
      sharedInboxUrl: `http://127.0.0.1:${port}/inbox`,
    })),
  );
  for (let i = 0; i < actors.length; i += 1000) {
    const batch = actors.slice(i, i + 1000);
    await db.insert(remoteActors).values(batch);
    await db.insert(followers).values(
      batch.map((a) => ({
        accountId,
        actorId: a.id,
        followIri: `${a.iri}#follow`,
        state: "accepted" as const,
      })),
    );
  }
  return actors.length;
}
