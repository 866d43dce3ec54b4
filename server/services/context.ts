import type { Federation } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { AppContext, FedContext } from "../federation/context.ts";

/** What a use case needs: the database, the configuration and the federation to send through. */
export interface Services {
  db: Db;
  config: Config;
  federation: Federation<AppContext>;
}

export function fedContext(services: Services): FedContext {
  return services.federation.createContext(services.config.publicUrl, {
    db: services.db,
    config: services.config,
  });
}
