import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { ValidationError } from "../domain/errors.ts";
import { buildFederation } from "../federation/federation.ts";
import { installAddressGuard } from "../ingest/address-guard.ts";
import { setupLogging } from "../logging.ts";
import { StartupError } from "../startup-error.ts";
import { openMediaStorage } from "../storage/index.ts";
import { commandHelp, UsageError, usageLine } from "./command.ts";
import { commands } from "./commands/index.ts";

function overview(): string {
  const lines = ["Usage: npm run cli -- <command> [options]", "", "Commands:"];
  for (const command of commands) lines.push(`  ${usageLine(command)}`, `      ${command.summary}`);
  lines.push(
    "",
    "`<command> --help` lists every option of a command. Configuration comes from the environment",
    "and .env, as for the server (see README). Exit codes: 0 done, 1 bad usage or input, 2 set-up problem.",
  );
  return lines.join("\n");
}

/** Parses the arguments, then runs the command on the configured database; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const name = argv.slice(0, 2).join(" ");
  const command = commands.find((c) => c.name === name);
  if (!command) {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      console.log(overview());
      return argv.length === 0 ? 1 : 0;
    }
    console.error(`Unknown command "${name}".\n\n${overview()}`);
    return 1;
  }
  const rest = argv.slice(2);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(
        Object.entries(command.options).map(([key, spec]) => [
          key,
          { type: spec.type, multiple: spec.multiple === true },
        ]),
      ),
      allowPositionals: (command.arguments?.length ?? 0) > 0,
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run cli -- ${usageLine(command)}`);
    return 1;
  }
  const expected = command.arguments ?? [];
  const least = expected.filter((a) => !a.optional).length;
  if (parsed.positionals.length < least || parsed.positionals.length > expected.length) {
    console.error(`Usage: npm run cli -- ${usageLine(command)}`);
    return 1;
  }

  const config = loadConfig();
  await setupLogging(config.logLevel === "info" ? "warning" : config.logLevel);
  // WebFinger lookups (follows create) use the global fetch: it gets our address rules.
  installAddressGuard({ allowPrivateAddress: config.allowPrivateAddress });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 4,
    role: "cli",
  });
  try {
    await runMigrations(database);
    // The CLI only enqueues; the server's workers deliver (or will, when it next starts).
    const { federation } = buildFederation(config, database);
    const storage = openMediaStorage(config);
    await command.run({ db: database.db, config, federation, storage }, parsed.values, parsed.positionals);
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
  // Set-up problems (configuration, DATA_DIR, the embedded database) exit 2 with one clear line.
  console.error(error instanceof StartupError ? error.message : error);
  process.exitCode = error instanceof StartupError ? 2 : 1;
}
