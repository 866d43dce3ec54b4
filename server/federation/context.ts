import type { Context } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";

/** What every Fedify callback gets: the database handle and the configuration, passed explicitly. */
export interface AppContext {
  db: Db;
  config: Config;
}

export type FedContext = Context<AppContext>;
