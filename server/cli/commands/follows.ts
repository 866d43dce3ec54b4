import { requireAccount } from "../../domain/accounts.ts";
import { listFollowers, listFollowing } from "../../domain/follows.ts";
import { followRemote, unfollowRemote } from "../../services/following.ts";
import { type Command, type OptionSpec, required, UsageError } from "../command.ts";

const account: OptionSpec = { type: "string", value: "U", required: true, help: "Username of our account" };

export const followCommands: Command[] = [
  {
    name: "follows create",
    summary:
      "Follow a remote actor from one of our accounts. Handles are looked up with WebFinger, over https only.",
    options: {
      account,
      target: { type: "string", value: "TARGET", required: true, help: "Actor URL or @user@host" },
    },
    async run(services, values) {
      const from = await requireAccount(services.db, required(values, "account"));
      const actor = await followRemote(services, from, required(values, "target"));
      console.log(`Follow request sent to ${actor.iri} (@${actor.handle})`);
    },
  },
  {
    name: "follows delete",
    summary: "Stop following a remote actor (sends Undo(Follow)).",
    options: { account, target: { type: "string", value: "URL", required: true, help: "The actor's URL" } },
    async run(services, values) {
      const from = await requireAccount(services.db, required(values, "account"));
      const target = required(values, "target");
      if (!(await unfollowRemote(services, from, target))) {
        throw new UsageError(`@${from.username} does not follow ${target}`);
      }
      console.log(`Unfollowed ${target}`);
    },
  },
  {
    name: "follows list",
    summary: "List whom the account follows and who follows it, one tab-separated line each.",
    options: { account },
    async run({ db }, values) {
      const of = await requireAccount(db, required(values, "account"));
      for (const row of await listFollowing(db, of.id)) {
        console.log(`following\t${row.state}\t${row.actor.iri}\t@${row.actor.handle}`);
      }
      for (const state of ["accepted", "pending"] as const) {
        for (const row of await listFollowers(db, of.id, { state })) {
          console.log(`follower\t${row.state}\t${row.actor.iri}\t@${row.actor.handle}`);
        }
      }
    },
  },
];
