import type { Federation } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { AppContext, FedContext } from "../federation/context.ts";
import type { MediaStorage } from "../storage/index.ts";

/**
 * What a use case needs: the database, the configuration, the federation to send through and
 * the storage uploaded media live in.
 */
export interface Services {
  db: Db;
  config: Config;
  federation: Federation<AppContext>;
  storage: MediaStorage;
}

export function fedContext(services: Services): FedContext {
  return services.federation.createContext(services.config.publicUrl, {
    db: services.db,
    config: services.config,
  });
}
