import type { CurationAction } from "../../domain/curation.ts";
import { curateByTarget, setSourceAutoApprove } from "../../services/curation.ts";
import { type Command, UsageError } from "../command.ts";

const item = { name: "item", help: "The received item: its IRI or its page URL" };

const summaries: Record<CurationAction, string> = {
  approve: "Approve a queued item: it joins the shared feed.",
  hide: "Hide an item from the shared feed and search (a featured one is also unfeatured, with Undo).",
  restore: "Restore a hidden item: approved again, back in the feed and search.",
  feature:
    "Feature an item: the hub's account sends Announce of the original object to its followers (once).",
  unfeature: "Stop featuring an item: the hub's account sends Undo of its Announce.",
};

function curationCommand(action: CurationAction): Command {
  return {
    name: `hub ${action}`,
    summary: summaries[action],
    options: {},
    arguments: [item],
    async run(services, _values, [target = ""]) {
      const outcome = await curateByTarget(services, "cli", target, action);
      console.log(outcome.message);
    },
  };
}

export const hubCurationCommands: Command[] = [
  ...(["approve", "hide", "restore", "feature", "unfeature"] as const).map(curationCommand),
  {
    name: "hub auto-approve",
    summary:
      "Whether a source's new items are approved at once (on) or wait in the curation queue (off, the default).",
    options: {},
    arguments: [
      { name: "source", help: "The library: @user@host or its actor URL" },
      { name: "on|off", help: "on: approve its new items at once; off: queue them" },
    ],
    async run(services, _values, [source = "", value = ""]) {
      if (value !== "on" && value !== "off") {
        throw new UsageError(`<on|off>: expected on or off, got "${value}"`);
      }
      const actor = await setSourceAutoApprove(services, "cli", source, value === "on");
      console.log(
        `New items from ${actor.iri} ${value === "on" ? "are approved at once" : "wait in the curation queue"}`,
      );
    },
  },
];
