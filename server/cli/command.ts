import { readFileSync } from "node:fs";
import type { Services } from "../services/context.ts";

/** One option of a command; `help` and `value` are what `--help` prints, so none goes undocumented. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  /** The placeholder in the usage line, such as URL or N. */
  value?: string;
  required?: boolean;
  help: string;
}

/** An operator command; it prints what it did, or throws an error naming the bad option. */
export interface Command {
  /** Two words: noun and verb, e.g. "posts create". */
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments, e.g. the URL of a post; an optional one may be left out. */
  arguments?: { name: string; help: string; optional?: boolean }[];
  run(services: Services, values: Record<string, unknown>, positionals: string[]): Promise<void>;
}

/** A mistake in how the command was called: printed as is, exit code 1. */
export class UsageError extends Error {}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

export function optional(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function optionalNumber(values: Record<string, unknown>, name: string): number | undefined {
  const value = optional(values, name);
  if (value == null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

export function list(values: Record<string, unknown>, name: string): string[] | undefined {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

export async function readStdin(option: string): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(`--${option} expects its value on standard input`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function readTextFile(option: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--${option}: cannot read ${file}: ${(error as Error).message}`);
  }
}

function optionUsage(name: string, spec: OptionSpec): string {
  const flag = spec.type === "boolean" ? `--${name}` : `--${name} ${spec.value ?? "VALUE"}`;
  return spec.multiple ? `${flag}…` : flag;
}

/** The one-line synopsis: required options spelled out, the rest as [options]. */
export function usageLine(command: Command): string {
  const parts = [
    command.name,
    ...(command.arguments ?? []).map((a) => (a.optional ? `[<${a.name}>]` : `<${a.name}>`)),
  ];
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required) parts.push(optionUsage(name, spec));
  }
  if (Object.values(command.options).some((spec) => !spec.required)) parts.push("[options]");
  return parts.join(" ");
}

/** `<command> --help`: synopsis, what it does, every argument and option. */
export function commandHelp(command: Command): string {
  const rows: [string, string][] = [
    ...(command.arguments ?? []).map((a): [string, string] => [`<${a.name}>`, a.help]),
    ...Object.entries(command.options).map(([name, spec]): [string, string] => [
      optionUsage(name, spec),
      spec.required ? `${spec.help} (required)` : spec.help,
    ]),
  ];
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  const lines = [`Usage: npm run cli -- ${usageLine(command)}`, "", command.summary];
  if (rows.length > 0) {
    lines.push("", "Arguments and options:");
    for (const [left, right] of rows) lines.push(`  ${left.padEnd(width)}  ${right}`);
  }
  return lines.join("\n");
}
