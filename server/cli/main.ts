import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { createAccount, requireAccount } from "../domain/accounts.ts";
import { ValidationError } from "../domain/errors.ts";
import { listFollowers, listFollowing } from "../domain/follows.ts";
import { findItemByIri } from "../domain/items.ts";
import { createUser, ROLES } from "../domain/users.ts";
import { buildFederation } from "../federation/federation.ts";
import { setupLogging } from "../logging.ts";
import type { Services } from "../services/context.ts";
import { followRemote, unfollowRemote } from "../services/following.ts";
import { editProfile } from "../services/profile.ts";
import { editPost, publishPost, removePost } from "../services/publishing.ts";

/** Operator commands; each prints what it did, or an error naming the bad option. */
interface Command {
  usage: string;
  description: string;
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
  positionals?: number;
  run(services: Services, values: Record<string, unknown>, positionals: string[]): Promise<void>;
}

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

function optional(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function optionalNumber(values: Record<string, unknown>, name: string): number | undefined {
  const value = optional(values, name);
  if (value == null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--password-stdin expects the password on standard input");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function readContentFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--content-file: cannot read ${file}: ${(error as Error).message}`);
  }
}

async function ownArticle(services: Services, url: string) {
  const item = await findItemByIri(services.db, url);
  if (!item?.accountId || item.deletedAt) throw new UsageError(`no published article of ours at ${url}`);
  return item;
}

/** The profile options shared by `accounts create` and `accounts update`. */
const PROFILE_OPTIONS: Command["options"] = {
  username: { type: "string" },
  name: { type: "string" },
  summary: { type: "string" },
  country: { type: "string" },
  city: { type: "string" },
  lat: { type: "string" },
  lon: { type: "string" },
  website: { type: "string" },
  icon: { type: "string" },
  image: { type: "string" },
};

const commands: Record<string, Command> = {
  "users create": {
    usage: "users create --email E --role admin|editor|curator --password-stdin",
    description: "Create a person who can sign in to the admin (password read from standard input).",
    options: { email: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean" } },
    async run({ db }, values) {
      const email = required(values, "email");
      const role = required(values, "role");
      if (!ROLES.includes(role as (typeof ROLES)[number]))
        throw new UsageError("--role must be admin, editor or curator");
      if (values["password-stdin"] !== true)
        throw new UsageError("--password-stdin is required (never pass passwords as arguments)");
      const user = await createUser(db, { email, role, password: await readStdin() });
      console.log(`Created ${user.role} ${user.email}`);
    },
  },
  "accounts create": {
    usage:
      "accounts create --username U --name N [--summary S] [--country LT] [--city C] [--lat X --lon Y] [--website URL] [--manual-approval]",
    description: "Create a library account (an ActivityPub Organization actor).",
    options: { ...PROFILE_OPTIONS, "manual-approval": { type: "boolean" } },
    async run({ db, config }, values) {
      const account = await createAccount(db, {
        username: required(values, "username"),
        name: required(values, "name"),
        summary: optional(values, "summary"),
        country: optional(values, "country"),
        city: optional(values, "city"),
        latitude: optionalNumber(values, "lat"),
        longitude: optionalNumber(values, "lon"),
        website: optional(values, "website"),
        iconUrl: optional(values, "icon"),
        imageUrl: optional(values, "image"),
        manuallyApprovesFollowers: values["manual-approval"] === true,
      });
      console.log(new URL(`/users/${account.username}`, config.publicUrl).href);
    },
  },
  "accounts update": {
    usage:
      "accounts update --username U [--name N] [--summary S] [--country LT] [--city C] [--lat X --lon Y] [--website URL]",
    description: "Change a library's profile; followers receive an Update of the actor.",
    options: PROFILE_OPTIONS,
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "username"));
      const updated = await editProfile(services, account, {
        name: optional(values, "name") ?? account.name,
        summary: optional(values, "summary") ?? account.summary,
        country: optional(values, "country") ?? account.country ?? undefined,
        city: optional(values, "city") ?? account.city ?? undefined,
        latitude: optionalNumber(values, "lat") ?? account.latitude ?? undefined,
        longitude: optionalNumber(values, "lon") ?? account.longitude ?? undefined,
        website: optional(values, "website") ?? account.website ?? undefined,
        iconUrl: optional(values, "icon") ?? account.iconUrl ?? undefined,
        imageUrl: optional(values, "image") ?? account.imageUrl ?? undefined,
        manuallyApprovesFollowers: account.manuallyApprovesFollowers,
      });
      console.log(new URL(`/users/${updated.username}`, services.config.publicUrl).href);
    },
  },
  "posts create": {
    usage:
      "posts create --account U --title T --summary S (--content HTML | --content-file F) [--markdown] [--language lt] [--tag T]… [--image URL --image-alt TEXT]",
    description: "Publish an article and send it to the account's followers; prints its URL.",
    options: {
      account: { type: "string" },
      title: { type: "string" },
      summary: { type: "string" },
      content: { type: "string" },
      "content-file": { type: "string" },
      markdown: { type: "boolean" },
      language: { type: "string" },
      tag: { type: "string", multiple: true },
      image: { type: "string" },
      "image-alt": { type: "string" },
    },
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "account"));
      const inline = optional(values, "content");
      const file = optional(values, "content-file");
      if ((inline == null) === (file == null))
        throw new UsageError("give exactly one of --content and --content-file");
      const content = file != null ? readContentFile(file) : inline;
      const item = await publishPost(services, account, {
        title: required(values, "title"),
        summary: required(values, "summary"),
        content: content ?? "",
        format: values.markdown === true || file?.endsWith(".md") ? "markdown" : "html",
        language: optional(values, "language"),
        tags: (values.tag as string[] | undefined) ?? [],
        imageUrl: optional(values, "image"),
        imageAlt: optional(values, "image-alt"),
      });
      console.log(item.iri);
    },
  },
  "posts update": {
    usage:
      "posts update <url> [--title T] [--summary S] [--content HTML | --content-file F] [--language lt] [--tag T]…",
    description: "Change one of our articles; followers receive an Update.",
    options: {
      title: { type: "string" },
      summary: { type: "string" },
      content: { type: "string" },
      "content-file": { type: "string" },
      language: { type: "string" },
      tag: { type: "string", multiple: true },
    },
    positionals: 1,
    async run(services, values, positionals) {
      const item = await ownArticle(services, positionals[0] ?? "");
      const file = optional(values, "content-file");
      const item2 = await editPost(services, item, {
        title: optional(values, "title") ?? item.title,
        summary: optional(values, "summary") ?? item.summary,
        content: file ? readContentFile(file) : (optional(values, "content") ?? item.content),
        format: file?.endsWith(".md") ? "markdown" : "html",
        language: optional(values, "language") ?? item.language ?? undefined,
        tags: (values.tag as string[] | undefined) ?? item.tags,
        imageUrl: item.attachments[0]?.url,
        imageAlt: item.attachments[0]?.name,
      });
      console.log(item2.iri);
    },
  },
  "posts delete": {
    usage: "posts delete <url>",
    description: "Delete one of our articles; followers receive a Delete and the URL answers 410.",
    options: {},
    positionals: 1,
    async run(services, _values, positionals) {
      const item = await ownArticle(services, positionals[0] ?? "");
      await removePost(services, item);
      console.log(`Deleted ${item.iri}`);
    },
  },
  "follows create": {
    usage: "follows create --account U --target <actor URL or @user@host>",
    description: "Follow a remote actor from one of our accounts (handles need WebFinger over https).",
    options: { account: { type: "string" }, target: { type: "string" } },
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "account"));
      const actor = await followRemote(services, account, required(values, "target"));
      console.log(`Follow request sent to ${actor.iri} (@${actor.handle})`);
    },
  },
  "follows delete": {
    usage: "follows delete --account U --target <actor URL>",
    description: "Stop following a remote actor (sends Undo(Follow)).",
    options: { account: { type: "string" }, target: { type: "string" } },
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "account"));
      const target = required(values, "target");
      if (!(await unfollowRemote(services, account, target)))
        throw new UsageError(`@${account.username} does not follow ${target}`);
      console.log(`Unfollowed ${target}`);
    },
  },
  "follows list": {
    usage: "follows list --account U",
    description: "List whom the account follows and who follows it.",
    options: { account: { type: "string" } },
    async run({ db }, values) {
      const account = await requireAccount(db, required(values, "account"));
      for (const row of await listFollowing(db, account.id))
        console.log(`following\t${row.state}\t${row.actor.iri}\t@${row.actor.handle}`);
      for (const state of ["accepted", "pending"] as const) {
        for (const row of await listFollowers(db, account.id, { state }))
          console.log(`follower\t${row.state}\t${row.actor.iri}\t@${row.actor.handle}`);
      }
    },
  },
};

function help(): string {
  const lines = ["Usage: npm run cli -- <command> [options]", "", "Commands:"];
  for (const [, command] of Object.entries(commands))
    lines.push(`  ${command.usage}`, `      ${command.description}`);
  lines.push("", "Each command accepts --help. Configuration comes from the environment (see README).");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const name = argv.slice(0, 2).join(" ");
  const command = commands[name];
  if (!command) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      console.log(help());
      return argv.length === 0 ? 1 : 0;
    }
    console.error(`Unknown command "${argv.slice(0, 2).join(" ")}".\n\n${help()}`);
    return 1;
  }
  const rest = argv.slice(2);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: npm run cli -- ${command.usage}\n\n${command.description}`);
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: (command.positionals ?? 0) > 0,
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}`);
    return 1;
  }
  if (parsed.positionals.length !== (command.positionals ?? 0)) {
    console.error(`Usage: npm run cli -- ${command.usage}`);
    return 1;
  }

  const config = loadConfig();
  await setupLogging(config.logLevel === "info" ? "warning" : config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 4,
  });
  try {
    await runMigrations(database);
    // The CLI only enqueues; the server's workers deliver (or will, when it next starts).
    const { federation } = buildFederation(config, database);
    await command.run({ db: database.db, config, federation }, parsed.values, parsed.positionals);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ValidationError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
