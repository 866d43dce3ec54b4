import { blockTarget, unblockTarget } from "../../domain/moderation-actions.ts";
import { type Command, optional, UsageError } from "../command.ts";

const target = {
  name: "target",
  help: "A domain (example.org, blocks it and its subdomains) or one actor (its URL or @user@host)",
};

export const hubModerationCommands: Command[] = [
  {
    name: "hub block",
    summary:
      "Block a domain (its actors are purged with their items and follows) or one actor (its activities and follows are refused; its items hidden from the hub, or deleted with --purge). Recorded in the audit log.",
    options: {
      purge: { type: "boolean", help: "For an actor: delete its items instead of hiding them" },
      reason: { type: "string", value: "TEXT", help: "Why (shown to curators), up to 500 characters" },
    },
    arguments: [target],
    async run({ db }, values, [input = ""]) {
      const outcome = await blockTarget(db, "cli", input, {
        purge: values.purge === true,
        reason: optional(values, "reason") ?? "",
      });
      console.log(outcome.message);
    },
  },
  {
    name: "hub unblock",
    summary:
      "Lift a domain or actor block (purged items are not restored; hidden ones stay hidden until restored).",
    options: {},
    arguments: [target],
    async run({ db }, _values, [input = ""]) {
      const outcome = await unblockTarget(db, "cli", input);
      if (!outcome) throw new UsageError(`target: ${input.trim()} is not blocked`);
      console.log(outcome.message);
    },
  },
];
