import type { Federation } from "@fedify/fedify";
import type { Locale, Translate } from "../../web/i18n/index.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { User } from "../domain/users.ts";
import type { AppContext } from "../federation/context.ts";
import type { MediaStorage } from "../storage/index.ts";

/** What the HTTP layer needs, handed in by main.ts (no globals). */
export interface AppDeps {
  config: Config;
  db: Db;
  federation: Federation<AppContext>;
  storage: MediaStorage;
}

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    locale: Locale;
    t: Translate;
    user: User | null;
    csrfToken: string;
  };
}
