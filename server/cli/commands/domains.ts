import { listDomainBlocks, normalizeDomain } from "../../domain/domain-blocks.ts";
import { blockDomainAudited, unblockDomainAudited } from "../../domain/moderation-actions.ts";
import { type Command, optional, UsageError } from "../command.ts";

const domain = { name: "domain", help: "A domain (example.org), a URL on it, or @user@domain" };

export const domainCommands: Command[] = [
  {
    name: "domains block",
    summary:
      "Stop federating with a server and its subdomains: refuse its activities and signed fetches, and purge its actors with their items and follows.",
    options: {
      reason: { type: "string", value: "TEXT", help: "Why (shown to admins), up to 500 characters" },
    },
    arguments: [domain],
    async run({ db }, values, [input = ""]) {
      const { domain, purgedActors } = await blockDomainAudited(
        db,
        "cli",
        input,
        optional(values, "reason") ?? "",
      );
      console.log(`Blocked ${domain}; removed ${purgedActors} actor(s) and what came from them`);
    },
  },
  {
    name: "domains unblock",
    summary: "Lift a domain block (what was purged is not restored).",
    options: {},
    arguments: [domain],
    async run({ db }, _values, [input = ""]) {
      if (!(await unblockDomainAudited(db, "cli", input)))
        throw new UsageError(`${normalizeDomain(input)} is not blocked`);
      console.log(`Unblocked ${normalizeDomain(input)}`);
    },
  },
  {
    name: "domains list",
    summary: "List blocked domains, one tab-separated line each: domain, since, reason.",
    options: {},
    async run({ db }) {
      for (const block of await listDomainBlocks(db)) {
        console.log(`${block.domain}\t${block.createdAt.toISOString()}\t${block.reason}`);
      }
    },
  },
];
