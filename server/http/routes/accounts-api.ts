import { Hono } from "hono";
import { listAccounts } from "../../domain/accounts.ts";
import type { AppEnv } from "../env.ts";

/**
 * GET /api/v1/accounts: the library accounts of this instance, public as their profiles are. A
 * hub reads it to follow every library of an instance at once (`hub follow --instance`).
 */
export const accountsApiRoutes = new Hono<AppEnv>();

accountsApiRoutes.get("/", async (c) => {
  const { db, config } = c.get("deps");
  const accounts = await listAccounts(db);
  return c.json({
    accounts: accounts.map((account) => ({
      id: new URL(`/users/${account.username}`, config.publicUrl).href,
      handle: `@${account.username}@${config.publicUrl.host}`,
      name: account.name,
      country: account.country,
    })),
  });
});
