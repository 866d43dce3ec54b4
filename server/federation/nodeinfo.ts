import type { Federation } from "@fedify/fedify";
import { count } from "drizzle-orm";
import { accounts } from "../db/schema/index.ts";
import { countLocalPosts } from "../domain/item-counts.ts";
import type { AppContext } from "./context.ts";

export const SOFTWARE_NAME = "baltic-libraries";
export const SOFTWARE_VERSION = "0.1.0";

export function registerNodeInfo(federation: Federation<AppContext>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const [users] = await ctx.data.db.select({ n: count() }).from(accounts);
    return {
      software: {
        name: SOFTWARE_NAME,
        version: SOFTWARE_VERSION,
        homepage: new URL("/", ctx.origin),
      },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: {
        users: { total: users?.n ?? 0 },
        localPosts: await countLocalPosts(ctx.data.db),
        localComments: 0,
      },
      metadata: { role: ctx.data.config.instanceRole },
    };
  });
}
