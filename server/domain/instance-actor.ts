import type { Db } from "../db/client.ts";
import { instanceKeys } from "../db/schema/index.ts";
import { generateKeyPairs, importKeyPairs } from "./keys.ts";

/**
 * The identifier of the instance's application actor (/users/instance-actor). Library usernames
 * cannot contain "-", so it never collides with one.
 */
export const INSTANCE_ACTOR = "instance-actor";

// Per database handle: tests run several instances in one process.
const cache = new WeakMap<Db, Promise<CryptoKeyPair[]>>();

/** The instance actor's key pairs, made on first use (concurrent first uses agree on one set). */
export function getInstanceKeyPairs(db: Db): Promise<CryptoKeyPair[]> {
  let pairs = cache.get(db);
  if (!pairs) {
    pairs = (async () => {
      let rows = await db.select().from(instanceKeys);
      if (rows.length < 2) {
        // Whoever inserts first wins; everyone then reads the stored rows.
        await db
          .insert(instanceKeys)
          .values(await generateKeyPairs())
          .onConflictDoNothing();
        rows = await db.select().from(instanceKeys);
      }
      return importKeyPairs(rows);
    })();
    pairs.catch(() => cache.delete(db));
    cache.set(db, pairs);
  }
  return pairs;
}
