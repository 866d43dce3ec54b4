import type { Db } from "../db/client.ts";
import { blockActor, unblockActor } from "./actor-blocks.ts";
import { type AuditActor, recordAudit } from "./audit-log.ts";
import { blockDomain, normalizeDomain, unblockDomain } from "./domain-blocks.ts";
import { ValidationError } from "./errors.ts";

/**
 * Domain blocks with their audit entry in the same transaction: blockDomain's own transaction
 * runs as a savepoint inside ours (its NOTIFY is then sent at our commit).
 */
export async function blockDomainAudited(
  db: Db,
  who: AuditActor,
  input: string,
  reason = "",
): Promise<{ domain: string; purgedActors: number }> {
  return db.transaction(async (tx) => {
    const { block, purgedActors } = await blockDomain(tx as unknown as Db, input, reason);
    await recordAudit(tx, who, "domain.block", block.domain, { reason: block.reason, purgedActors });
    return { domain: block.domain, purgedActors };
  });
}

/** False when the domain was not blocked (nothing is logged then). */
export async function unblockDomainAudited(db: Db, who: AuditActor, input: string): Promise<boolean> {
  const domain = normalizeDomain(input);
  return db.transaction(async (tx) => {
    const removed = await unblockDomain(tx as unknown as Db, domain);
    if (removed) await recordAudit(tx, who, "domain.unblock", domain);
    return removed;
  });
}

/**
 * What `hub block <target>` means: a handle (`@user@host`) or a URL with a path is one actor;
 * a bare name (`example.org`) or a URL without a path is a whole domain.
 */
export function targetKind(input: string): "actor" | "domain" {
  const trimmed = input.trim();
  if (trimmed === "")
    throw new ValidationError("target", "give a domain, an actor URL or an @user@host handle");
  if (/^@?[^@/\s]+@[^@/\s]+$/.test(trimmed)) return "actor";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).pathname.replace(/\/+$/, "") === "" ? "domain" : "actor";
    } catch {
      throw new ValidationError("target", `${JSON.stringify(trimmed)} is not a URL`);
    }
  }
  return "domain";
}

export interface BlockOutcome {
  kind: "actor" | "domain";
  target: string;
  message: string;
}

export async function blockTarget(
  db: Db,
  who: AuditActor,
  input: string,
  options: { purge?: boolean; reason?: string } = {},
): Promise<BlockOutcome> {
  if (targetKind(input) === "domain") {
    const { domain, purgedActors } = await blockDomainAudited(db, who, input, options.reason);
    return {
      kind: "domain",
      target: domain,
      message: `Blocked ${domain}; removed ${purgedActors} actor(s) and their items and follows`,
    };
  }
  const { block, items } = await blockActor(db, who, input, options);
  const what = block.purge ? `purged ${items} item(s)` : `hid ${items} item(s) from the hub`;
  return { kind: "actor", target: block.actorIri, message: `Blocked ${block.actorIri}; ${what}` };
}

/** False when nothing was blocked under that name. */
export async function unblockTarget(db: Db, who: AuditActor, input: string): Promise<BlockOutcome | null> {
  if (targetKind(input) === "domain") {
    const domain = normalizeDomain(input);
    if (!(await unblockDomainAudited(db, who, input))) return null;
    return { kind: "domain", target: domain, message: `Unblocked ${domain}` };
  }
  if (!(await unblockActor(db, who, input))) return null;
  return { kind: "actor", target: input.trim(), message: `Unblocked ${input.trim()}` };
}
