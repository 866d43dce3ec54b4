import { isIP } from "node:net";
import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { announceChanged, notifiedSet } from "../db/notified-cache.ts";
import { domainBlocks } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";

export type DomainBlock = typeof domainBlocks.$inferSelect;

const MAX_REASON = 500;

/**
 * A domain as blocks store it: the host of whatever was given (a bare domain, a URL, or a
 * `@user@host` handle), lower-case and in punycode, with a port only if one was named.
 */
export function normalizeDomain(input: string): string {
  const raw = input.trim().replace(/^@?[^@/\s]+@(?=[^@]+$)/, "");
  if (raw === "") throw new ValidationError("domain", "is required");
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new ValidationError("domain", `${JSON.stringify(input.trim())} is not a domain name`);
  }
  const host = url.host.toLowerCase();
  if (!/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/.test(host) || !/[a-z0-9]/.test(host)) {
    throw new ValidationError("domain", `${JSON.stringify(input.trim())} is not a domain name`);
  }
  return host;
}

/**
 * The block keys that cover `host` (host[:port] as in a URL): itself, itself without the port,
 * and every parent domain (a block of example.org covers social.example.org).
 */
export function coveringDomains(host: string): string[] {
  const lower = host.toLowerCase();
  const name = lower.replace(/:\d+$/, "");
  const keys = new Set([lower, name]);
  // Addresses have no parent domains.
  if (!name.startsWith("[") && isIP(name) === 0) {
    const labels = name.split(".");
    for (let i = 1; i < labels.length - 1; i++) keys.add(labels.slice(i).join("."));
  }
  return [...keys];
}

/** Other processes (the CLI, web and worker processes) hear of a changed block list here. */
const CHANGED = "domain_blocks_changed";

/** The blocked domains, in memory until a block or unblock anywhere (server/db/notified-cache.ts). */
function blockedDomains(db: Db): Promise<Set<string> | null> {
  return notifiedSet(db, CHANGED, async (db) => {
    const rows = await db.select({ domain: domainBlocks.domain }).from(domainBlocks);
    return new Set(rows.map((r) => r.domain));
  });
}

const announceChange = (db: Db) => announceChanged(db, CHANGED);

export async function isBlockedHost(db: Db, host: string): Promise<boolean> {
  const domains = await blockedDomains(db);
  if (domains) return coveringDomains(host).some((domain) => domains.has(domain));
  const rows = await db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .where(inArray(domainBlocks.domain, coveringDomains(host)))
    .limit(1);
  return rows.length > 0;
}

/** Whether the host of an actor or object URL is blocked; unparsable URLs count as blocked. */
export async function isBlockedUrl(db: Db, url: string | URL): Promise<boolean> {
  try {
    return await isBlockedHost(db, new URL(url).host);
  } catch {
    return true;
  }
}

/**
 * SQL: the IRI in `column` is on `domain` or a subdomain, as coveringDomains() matches hosts
 * (a block without a port covers every port).
 */
function onDomain(column: SQL, domain: string): SQL {
  const authority = sql`lower(split_part(${column}, '/', 3))`;
  const host = /:\d+$/.test(domain) ? authority : sql`regexp_replace(${authority}, ':[0-9]+$', '')`;
  return sql`(${host} = ${domain} OR ${host} LIKE ${`%.${domain}`})`;
}

export interface BlockResult {
  block: DomainBlock;
  /** Remote actors removed, and with them their items, follows and interactions. */
  purgedActors: number;
}

/**
 * Blocks a domain and, in the same transaction, purges what we had from it: its actors, and by
 * cascade their received items and follow relationships, and their likes and boosts of ours.
 * Blocking again only updates the reason.
 */
export async function blockDomain(db: Db, input: string, reason = ""): Promise<BlockResult> {
  const domain = normalizeDomain(input);
  const why = reason.trim();
  if (why.length > MAX_REASON) throw new ValidationError("reason", `at most ${MAX_REASON} characters`);
  const result = await db.transaction(async (tx) => {
    const [block] = await tx
      .insert(domainBlocks)
      .values({ domain, reason: why })
      .onConflictDoUpdate({ target: domainBlocks.domain, set: { reason: why } })
      .returning();
    if (!block) throw new Error("insert returned no row");
    const purged = await tx.execute(sql`DELETE FROM remote_actors WHERE ${onDomain(sql.raw("iri"), domain)}`);
    // Likes and boosts of our items are kept by actor IRI, not always by a known actor.
    await tx.execute(sql`DELETE FROM interactions WHERE ${onDomain(sql.raw("actor_iri"), domain)}`);
    return { block, purgedActors: purged.count ?? 0 };
  });
  await announceChange(db);
  return result;
}

/** Lifts a block; false if there was none. What was purged stays purged. */
export async function unblockDomain(db: Db, input: string): Promise<boolean> {
  const removed = await db
    .delete(domainBlocks)
    .where(eq(domainBlocks.domain, normalizeDomain(input)))
    .returning();
  await announceChange(db);
  return removed.length > 0;
}

export function listDomainBlocks(db: Db): Promise<DomainBlock[]> {
  return db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}
