import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { accountKeys, accounts } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { generateKeyPairs, importKeyPairs } from "./keys.ts";

export type Account = typeof accounts.$inferSelect;

/** The editable part of a library's profile. */
export interface ProfileInput {
  name: string;
  summary?: string;
  country?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  website?: string;
  iconUrl?: string;
  imageUrl?: string;
  manuallyApprovesFollowers?: boolean;
}

export interface NewAccount extends ProfileInput {
  username: string;
}

export const USERNAME_PATTERN = /^[a-z0-9_]{1,30}$/;

function optionalHttpUrl(field: string, value: string | undefined): string | null {
  if (value == null || value === "") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `"${value}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(field, "must be an http(s) URL");
  }
  return url.href;
}

/** Checks the fields a library account is made of; throws ValidationError naming the field. */
export function validateAccount(input: NewAccount): NewAccount {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new ValidationError("username", "use 1–30 lowercase letters, digits or underscores");
  }
  if (!input.name.trim()) throw new ValidationError("name", "must not be empty");
  if (input.country != null && input.country !== "" && !/^[A-Za-z]{2}$/.test(input.country)) {
    throw new ValidationError("country", "must be a two-letter ISO 3166 code such as LT or LV");
  }
  if ((input.latitude == null) !== (input.longitude == null)) {
    throw new ValidationError("lat", "give both latitude and longitude, or neither");
  }
  if (input.latitude != null && !(Math.abs(input.latitude) <= 90)) {
    throw new ValidationError("lat", "must be a number between -90 and 90");
  }
  if (input.longitude != null && !(Math.abs(input.longitude) <= 180)) {
    throw new ValidationError("lon", "must be a number between -180 and 180");
  }
  return input;
}

/** Creates a library account with its RSA (for Mastodon) and Ed25519 key pairs. */
export async function createAccount(db: Db, input: NewAccount): Promise<Account> {
  validateAccount(input);
  const existing = await db.query.accounts.findFirst({ where: eq(accounts.username, input.username) });
  if (existing) throw new ValidationError("username", `@${input.username} already exists`);
  const keys = await generateKeyPairs();
  return db.transaction(async (tx) => {
    const [account] = await tx
      .insert(accounts)
      .values({ id: uuidv7(), username: input.username, ...profileColumns(input) })
      .returning();
    if (!account) throw new Error("insert returned no row");
    await tx.insert(accountKeys).values(keys.map((key) => ({ accountId: account.id, ...key })));
    return account;
  });
}

export function findAccount(db: Db, username: string): Promise<Account | undefined> {
  return db.query.accounts.findFirst({ where: eq(accounts.username, username) });
}

export async function requireAccount(db: Db, username: string): Promise<Account> {
  const account = await findAccount(db, username.replace(/^@/, ""));
  if (!account) throw new ValidationError("account", `no local account @${username.replace(/^@/, "")}`);
  return account;
}

export function listAccounts(db: Db): Promise<Account[]> {
  return db.query.accounts.findMany({ orderBy: accounts.createdAt });
}

export async function updateAccount(db: Db, id: string, input: ProfileInput): Promise<Account> {
  validateAccount({ ...input, username: "placeholder" });
  const [account] = await db
    .update(accounts)
    .set(profileColumns(input))
    .where(eq(accounts.id, id))
    .returning();
  if (!account) throw new ValidationError("account", "no longer exists");
  return account;
}

function profileColumns(input: ProfileInput) {
  return {
    name: input.name.trim(),
    summary: input.summary ?? "",
    country: input.country ? input.country.toUpperCase() : null,
    city: input.city || null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    website: optionalHttpUrl("website", input.website),
    iconUrl: optionalHttpUrl("icon", input.iconUrl),
    imageUrl: optionalHttpUrl("image", input.imageUrl),
    manuallyApprovesFollowers: input.manuallyApprovesFollowers ?? false,
  };
}

// Imported keys are cached: a fan-out signs hundreds of requests with the same key.
const keyCache = new Map<string, Promise<CryptoKeyPair[]>>();

/** The account's key pairs, RSA first (Mastodon uses the first key). */
export function getKeyPairs(db: Db, accountId: string): Promise<CryptoKeyPair[]> {
  let pairs = keyCache.get(accountId);
  if (!pairs) {
    pairs = (async () => {
      const rows = await db.query.accountKeys.findMany({ where: eq(accountKeys.accountId, accountId) });
      return importKeyPairs(rows);
    })();
    pairs.catch(() => keyCache.delete(accountId));
    keyCache.set(accountId, pairs);
  }
  return pairs;
}
