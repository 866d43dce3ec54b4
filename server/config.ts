import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { createSecretFileOnce, ensureWritableDataDir } from "./data-dir.ts";
import { StartupError } from "./startup-error.ts";

/** The one typed configuration of a process, read from the environment (and `.env`). */
export interface Config {
  port: number;
  /** Address the HTTP server binds to. */
  host: string;
  publicUrl: URL;
  databaseUrl: string | undefined;
  dataDir: string;
  instanceRole: "library" | "hub";
  nodeType: "web" | "worker" | "all";
  allowPrivateAddress: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  logLevel: "trace" | "debug" | "info" | "warning" | "error" | "fatal";
  secretKey: string;
  /** Sign-in attempts per minute from one address (429 beyond); five times that per account. */
  loginRateLimit: number;
  /** Inbox POSTs per minute from one address (429 beyond). */
  inboxRateLimit: number;
  /** Verified inbox activities per minute from one sending server (its key's host). */
  inboxDomainRateLimit: number;
  /** Mastodon's "secure mode": ActivityPub JSON only for signed GETs (pages stay public). */
  authorizedFetch: boolean;
  /** PeerTube servers whose players webcast pages may embed, besides YouTube and Vimeo. */
  videoEmbedHosts: string[];
  /** A hub directory map's tiles under the outlines (`…/{z}/{x}/{y}.png`), and their credit. */
  mapTiles?: { url: string; attribution: string };
  /** Where uploaded media are kept (server/storage/): the filesystem under DATA_DIR/media. */
  mediaStorage: "filesystem";
  /** Largest upload of each kind, in bytes (MEDIA_MAX_*_MB); beyond it the upload answers 413. */
  mediaLimits: MediaLimits;
}

export interface MediaLimits {
  image: number;
  document: number;
  video: number;
}

const megabytes = (fallback: number) =>
  z.coerce.number({ message: "must be a number of megabytes" }).positive().max(100_000).default(fallback);

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:-]+$/, "must be an IP address or host name such as 0.0.0.0")
    .default("0.0.0.0"),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://library.example" })
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  INSTANCE_ROLE: z.enum(["library", "hub"], { message: "must be library or hub" }).default("library"),
  NODE_TYPE: z.enum(["web", "worker", "all"], { message: "must be web, worker or all" }).default("all"),
  ALLOW_PRIVATE_ADDRESS: booleanString.default(false),
  TRUST_PROXY: booleanString.default(false),
  LOG_LEVEL: z
    .enum(["trace", "debug", "info", "warning", "error", "fatal"], {
      message: "must be one of trace, debug, info, warning, error, fatal",
    })
    .default("info"),
  SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  MAP_TILE_URL: z
    .url({
      protocol: /^https?$/,
      message: "must be an http(s) URL such as https://tiles.example/{z}/{x}/{y}.png",
    })
    .refine((url) => ["{z}", "{x}", "{y}"].every((part) => decodeURI(url).includes(part)), {
      message: "must hold {z}, {x} and {y}, such as https://tiles.example/{z}/{x}/{y}.png",
    })
    .optional(),
  MAP_TILE_ATTRIBUTION: z.string().max(300, "must be at most 300 characters").default(""),
  VIDEO_EMBED_HOSTS: z
    .string()
    .regex(
      /^\s*([a-z0-9.-]+(\s*,\s*[a-z0-9.-]+)*)?\s*$/,
      "must be host names separated by commas, such as video.example",
    )
    .default(""),
  AUTHORIZED_FETCH: booleanString.default(false),
  MEDIA_STORAGE: z.enum(["filesystem"], { message: "must be filesystem" }).default("filesystem"),
  MEDIA_MAX_IMAGE_MB: megabytes(10),
  MEDIA_MAX_DOCUMENT_MB: megabytes(50),
  MEDIA_MAX_VIDEO_MB: megabytes(500),
  LOGIN_RATE_LIMIT: z.coerce.number().int("must be a whole number").min(1).max(10_000).default(10),
  INBOX_RATE_LIMIT: z.coerce.number().int("must be a whole number").min(1).max(10_000_000).default(6000),
  INBOX_DOMAIN_RATE_LIMIT: z.coerce
    .number()
    .int("must be a whole number")
    .min(1)
    .max(10_000_000)
    .default(3000),
});

export class ConfigError extends StartupError {
  override name = "ConfigError";
}

/** Reads `KEY=value` lines of a `.env` file; real environment variables win. */
export function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2");
  }
  return values;
}

/** Parses and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const merged = { ...readDotEnv(resolve(".env")), ...env };
  // Empty strings mean "unset", as in most twelve-factor apps.
  const cleaned = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${messages.join("\n  ")}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  if (publicUrl.pathname !== "/" || publicUrl.search || publicUrl.hash) {
    throw new ConfigError("Invalid configuration:\n  PUBLIC_URL: must be an origin without a path");
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    instanceRole: e.INSTANCE_ROLE,
    nodeType: e.NODE_TYPE,
    allowPrivateAddress: e.ALLOW_PRIVATE_ADDRESS,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    secretKey: e.SECRET_KEY ?? loadOrCreateSecret(dataDir),
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    inboxRateLimit: e.INBOX_RATE_LIMIT,
    inboxDomainRateLimit: e.INBOX_DOMAIN_RATE_LIMIT,
    authorizedFetch: e.AUTHORIZED_FETCH,
    mapTiles: e.MAP_TILE_URL ? { url: e.MAP_TILE_URL, attribution: e.MAP_TILE_ATTRIBUTION } : undefined,
    videoEmbedHosts: e.VIDEO_EMBED_HOSTS.split(",")
      .map((h) => h.trim())
      .filter(Boolean),
    mediaStorage: e.MEDIA_STORAGE,
    mediaLimits: {
      image: Math.floor(e.MEDIA_MAX_IMAGE_MB * MB),
      document: Math.floor(e.MEDIA_MAX_DOCUMENT_MB * MB),
      video: Math.floor(e.MEDIA_MAX_VIDEO_MB * MB),
    },
  };
}

/** A megabyte as upload limits count it (MiB). */
export const MB = 1024 * 1024;

/**
 * Keeps a generated secret in DATA_DIR so sessions survive restarts without configuration. Made
 * with an exclusive link, so a web and a worker process starting together agree on one key.
 */
function loadOrCreateSecret(dataDir: string): string {
  const path = join(dataDir, "secret_key");
  if (!existsSync(path)) {
    ensureWritableDataDir(dataDir);
    createSecretFileOnce(path, randomBytes(32).toString("hex"));
  }
  let secret: string;
  try {
    secret = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  SECRET_KEY: cannot read ${path}: ${(error as Error).message}`,
    );
  }
  if (secret.length < 32) {
    throw new ConfigError(
      `Invalid configuration:\n  SECRET_KEY: ${path} holds fewer than 32 characters; delete it to make a new key`,
    );
  }
  return secret;
}
