import { describeBackfill, findBackfill } from "../../domain/backfills.ts";
import { hubAccount, listHubSources } from "../../domain/hub-sources.ts";
import { runBackfill } from "../../services/backfill.ts";
import {
  backfillSource,
  followInstance,
  followSource,
  requireHub,
  unfollowSource,
} from "../../services/hub-sources.ts";
import { type Command, optional, UsageError } from "../command.ts";

const target = { name: "target", help: "The library: @user@host or its actor URL" };

export const hubCommands: Command[] = [
  {
    name: "hub follow",
    summary:
      "Follow a library from the hub's account (its oldest), or with --instance every library account of one of our instances; the hub backfills each once it accepts.",
    options: {
      instance: {
        type: "string",
        value: "HOST",
        help: "Follow every library account of this instance (a host, or its URL for http)",
      },
    },
    arguments: [{ ...target, optional: true }],
    async run(services, values, [input]) {
      const instance = optional(values, "instance");
      if ((instance == null) === (input == null)) {
        throw new UsageError("give either <target> or --instance HOST");
      }
      if (input != null) {
        const actor = await followSource(services, input);
        console.log(`Follow request sent to ${actor.iri} (@${actor.handle})`);
        return;
      }
      const result = await followInstance(services, instance ?? "");
      for (const actor of result.followed)
        console.log(`Follow request sent to ${actor.iri} (@${actor.handle})`);
      for (const failure of result.failed)
        console.error(`Could not follow ${failure.target}: ${failure.error}`);
      if (result.followed.length === 0 && result.failed.length === 0)
        console.log("The instance lists no accounts");
      if (result.failed.length > 0) throw new UsageError(`${result.failed.length} account(s) not followed`);
    },
  },
  {
    name: "hub sources",
    summary:
      "List the hub's sources, one tab-separated line each: state (pending, accepted, rejected, failing), items, backfill, indexable, country, actor URL, handle.",
    options: {},
    async run(services) {
      requireHub(services);
      const account = await hubAccount(services.db);
      for (const source of await listHubSources(services.db, account.id)) {
        const consent = source.actor.indexable && source.actor.discoverable ? "indexable" : "not-indexable";
        console.log(
          [
            source.state,
            `${source.items} items`,
            describeBackfill(source.backfill),
            consent,
            source.actor.country ?? "-",
            source.actor.iri,
            `@${source.actor.handle}`,
          ].join("\t"),
        );
      }
    },
  },
  {
    name: "hub unfollow",
    summary: "Stop following a source (sends Undo(Follow)); what it published stays until it deletes it.",
    options: {},
    arguments: [target],
    async run(services, _values, [input = ""]) {
      const actor = await unfollowSource(services, input);
      console.log(`Unfollowed ${actor.iri}`);
    },
  },
  {
    name: "hub backfill",
    summary:
      "Read a source's outbox now (at most 200 entries, a year back), printing progress to stderr and the result.",
    options: {},
    arguments: [target],
    async run(services, _values, [input = ""]) {
      const { backfill, fresh } = await backfillSource(services, input, { queue: false });
      let last = "";
      const show = async () => {
        const line = describeBackfill((await findBackfill(services.db, backfill.id)) ?? null);
        if (line !== last) console.error(line);
        last = line;
      };
      // Run here, unless a worker is already walking this outbox: then follow its progress.
      const done = fresh ? runBackfill(services, { kind: "backfill", backfillId: backfill.id }) : null;
      const ticker = setInterval(() => void show(), 500);
      try {
        if (done) await done;
        else {
          while ((await findBackfill(services.db, backfill.id))?.state === "running") {
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      } finally {
        clearInterval(ticker);
      }
      const final = (await findBackfill(services.db, backfill.id)) ?? null;
      if (final?.state === "failed") throw new UsageError(describeBackfill(final));
      console.log(describeBackfill(final));
    },
  },
];
