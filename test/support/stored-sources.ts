import type { Db } from "../../server/db/client.ts";
import { uuidv7 } from "../../server/db/ids.ts";
import { following, remoteActors } from "../../server/db/schema/index.ts";

/** What a test says of a library the hub follows; the rest is derived from its host. */
export interface StoredLibrary {
  host: string;
  name: string;
  username?: string;
  city?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

/**
 * A remote library written straight to the database, as ingest stores actors, for tests whose
 * subject is a page (map, curation queue, CLI) rather than the federation that brings sources
 * (hub-network.test.ts covers that). With `followedBy`, the hub's account follows it (accepted),
 * which is what the directory lists. Returns the actor's id.
 */
export async function storeRemoteLibrary(
  db: Db,
  library: StoredLibrary,
  followedBy?: { id: string },
): Promise<string> {
  const { host, username = "lib", ...facts } = library;
  const id = uuidv7();
  const iri = `https://${host}/users/${username}`;
  await db.insert(remoteActors).values({
    id,
    iri,
    url: `https://${host}/@${username}`,
    type: "Organization",
    handle: `${username}@${host}`,
    inboxUrl: `${iri}/inbox`,
    ...facts,
  });
  if (followedBy) {
    await db.insert(following).values({
      accountId: followedBy.id,
      actorId: id,
      followIri: `https://hub.test/follows/${id}`,
      state: "accepted",
    });
  }
  return id;
}
