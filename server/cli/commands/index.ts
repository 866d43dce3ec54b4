import type { Command } from "../command.ts";
import { accountCommands } from "./accounts.ts";
import { domainCommands } from "./domains.ts";
import { followCommands } from "./follows.ts";
import { hubCommands } from "./hub.ts";
import { hubCurationCommands } from "./hub-curation.ts";
import { hubModerationCommands } from "./hub-moderation.ts";
import { importCommands } from "./imports.ts";
import { mediaCommands } from "./media.ts";
import { postCommands } from "./posts.ts";
import { userCommands } from "./users.ts";

/** Every CLI command, in the order `--help` lists them. */
export const commands: Command[] = [
  ...userCommands,
  ...accountCommands,
  ...postCommands,
  ...mediaCommands,
  ...importCommands,
  ...followCommands,
  ...domainCommands,
  ...hubCommands,
  ...hubCurationCommands,
  ...hubModerationCommands,
];
