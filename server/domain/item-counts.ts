import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { items } from "../db/schema/index.ts";

/** Published (not deleted) items of one of our accounts. */
export async function countItemsOf(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(items)
    .where(and(eq(items.accountId, accountId), isNull(items.deletedAt)));
  return row?.n ?? 0;
}

/** Local posts across all accounts, for NodeInfo. */
export async function countLocalPosts(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(items)
    .where(and(isNull(items.remoteActorId), isNull(items.deletedAt)));
  return row?.n ?? 0;
}
