import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { sessions, users } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

export type User = typeof users.$inferSelect;
export type Role = User["role"];
export const ROLES: readonly Role[] = ["admin", "editor", "curator"];

// scrypt with N=2^15: ~50 ms here, enough to make offline guessing slow.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** Checks a new user's fields and hashes the password (slow: do it outside transactions). */
async function prepareUser(input: { email: string; password: string; role: string }) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new ValidationError("email", "is not an email address");
  if (!ROLES.includes(input.role as Role))
    throw new ValidationError("role", "must be admin, editor or curator");
  if (input.password.length < 10) throw new ValidationError("password", "must be at least 10 characters");
  return { id: uuidv7(), email, passwordHash: await hashPassword(input.password), role: input.role as Role };
}

export async function createUser(
  db: Db,
  input: { email: string; password: string; role: string },
): Promise<User> {
  const values = await prepareUser(input);
  const existing = await db.query.users.findFirst({ where: eq(users.email, values.email) });
  if (existing) throw new ValidationError("email", `${values.email} already has an account`);
  const [user] = await db.insert(users).values(values).returning();
  if (!user) throw new Error("insert returned no row");
  return user;
}

// An arbitrary constant: the advisory lock that makes first-run setup one at a time.
const SETUP_LOCK = 72_411_904;

/**
 * First-run setup: creates the first admin, or returns null if there already is one. The check
 * and the insert hold one lock, so concurrent setup requests create exactly one admin.
 */
export async function createFirstAdmin(
  db: Db,
  input: { email: string; password: string },
): Promise<User | null> {
  const values = await prepareUser({ ...input, role: "admin" });
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
    const [row] = await tx.select({ n: count() }).from(users).where(eq(users.role, "admin"));
    if ((row?.n ?? 0) > 0) return null;
    const [user] = await tx.insert(users).values(values).returning();
    return user ?? null;
  });
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.role, "admin"));
  return row?.n ?? 0;
}

export async function authenticate(db: Db, email: string, password: string): Promise<User | null> {
  const user = await db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
  if (!user) {
    // Spend the same time as a real check so response times do not reveal which emails exist.
    await hashPassword(password);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}

const SESSION_DAYS = 14;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function startSession(db: Db, userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    idHash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  });
  return token;
}

export async function sessionUser(db: Db, token: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
  return row?.user ?? null;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, hashToken(token)));
}

/** The interface language a user chose with the language switch (web/i18n locales). */
export async function setUserLocale(db: Db, userId: string, locale: string): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
