import type { Db } from "../../server/db/client.ts";
import { uuidv7 } from "../../server/db/ids.ts";
import { followers, remoteActors } from "../../server/db/schema/index.ts";

/**
 * Accepted followers spread over the fake instances, written straight to the database (there is
 * no real remote server to send us their Follows); all share their instance's `/inbox`.
 * 1,000 actors per INSERT keeps well under PostgreSQL's 65,535 parameters. Returns actor ids.
 */
export async function insertFollowers(
  db: Db,
  accountId: string,
  ports: number[],
  perPort: number,
): Promise<string[]> {
  const actors = ports.flatMap((port, p) =>
    Array.from({ length: perPort }, (_, i) => {
      const n = p * perPort + i;
      const iri = `http://127.0.0.1:${port}/users/u${n}`;
      return {
        id: uuidv7(),
        iri,
        type: "Person",
        handle: `u${n}@127.0.0.1:${port}`,
        name: `Reader ${n}`,
        inboxUrl: `${iri}/inbox`,
        sharedInboxUrl: `http://127.0.0.1:${port}/inbox`,
      };
    }),
  );
  for (let i = 0; i < actors.length; i += 1000) {
    const batch = actors.slice(i, i + 1000);
    await db.insert(remoteActors).values(batch);
    await db.insert(followers).values(
      batch.map((a) => ({
        accountId,
        actorId: a.id,
        followIri: `${a.iri}/follows/1`,
        state: "accepted" as const,
      })),
    );
  }
  return actors.map((a) => a.id);
}
