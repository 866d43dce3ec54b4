import { createHash } from "node:crypto";
import type { Sql } from "postgres";

/**
 * Snapshots of the application tables (not the queue or KV bookkeeping) and the rule that says
 * which differences between two of them an inbox run may explain.
 *
 * Every row has an `owner`: the remote actor whose say-so may change it (null: nobody outside may
 * change it, e.g. our accounts and items), and a `mention`: the IRI an activity changing it must
 * name (the item, the Like, the Follow).
 */
interface Row {
  owner: string | null;
  mention: string | null;
  data: string;
}

const TABLES: Record<string, string> = {
  items: `SELECT t.iri AS key, ra.iri AS owner, t.iri AS mention, to_jsonb(t)::text AS data
          FROM items t LEFT JOIN remote_actors ra ON ra.id = t.remote_actor_id`,
  remote_actors: `SELECT t.iri AS key, t.iri AS owner, t.iri AS mention, to_jsonb(t)::text AS data
          FROM remote_actors t`,
  followers: `SELECT t.account_id || ' ' || ra.iri AS key, ra.iri AS owner, t.follow_iri AS mention,
          to_jsonb(t)::text AS data FROM followers t JOIN remote_actors ra ON ra.id = t.actor_id`,
  following: `SELECT t.account_id || ' ' || ra.iri AS key, ra.iri AS owner, t.follow_iri AS mention,
          to_jsonb(t)::text AS data FROM following t JOIN remote_actors ra ON ra.id = t.actor_id`,
  interactions: `SELECT t.activity_iri AS key, t.actor_iri AS owner, t.activity_iri AS mention,
          to_jsonb(t)::text AS data FROM interactions t`,
  accounts: `SELECT t.id::text AS key, NULL AS owner, NULL AS mention, to_jsonb(t)::text AS data FROM accounts t`,
  account_keys: `SELECT t.account_id || ' ' || t.type AS key, NULL AS owner, NULL AS mention,
          to_jsonb(t)::text AS data FROM account_keys t`,
  users: `SELECT t.id::text AS key, NULL AS owner, NULL AS mention, to_jsonb(t)::text AS data FROM users t`,
};

export type Snapshot = Record<string, Map<string, Row>>;

export async function snapshot(sql: Sql): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const [table, query] of Object.entries(TABLES)) {
    const rows = await sql.unsafe<({ key: string } & Row)[]>(query);
    result[table] = new Map(rows.map(({ key, ...row }) => [key, row]));
  }
  return result;
}

/** Row counts and a hash of each table's rows: the figures to compare at a glance. */
export function summary(snap: Snapshot): Record<string, { rows: number; hash: string }> {
  return Object.fromEntries(
    Object.entries(snap).map(([table, rows]) => {
      const hash = createHash("sha256");
      for (const key of [...rows.keys()].sort()) hash.update(`${key}\0${rows.get(key)?.data}\0`);
      return [table, { rows: rows.size, hash: hash.digest("hex").slice(0, 16) }];
    }),
  );
}

export interface Change {
  table: string;
  key: string;
  kind: "added" | "removed" | "changed";
  before?: Row;
  after?: Row;
}

export function diff(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const table of Object.keys(TABLES)) {
    const was = before[table] ?? new Map<string, Row>();
    const now = after[table] ?? new Map<string, Row>();
    for (const [key, row] of now) {
      const old = was.get(key);
      if (!old) changes.push({ table, key, kind: "added", after: row });
      else if (old.data !== row.data) changes.push({ table, key, kind: "changed", before: old, after: row });
    }
    for (const [key, row] of was) {
      if (!now.has(key)) changes.push({ table, key, kind: "removed", before: row });
    }
  }
  return changes;
}

/**
 * Authentic activities (signed by their own actor over the exact bytes sent, and accepted), as
 * JSON texts by actor IRI: the only things that may explain a change.
 */
export type Authentic = Map<string, { type: unknown; text: string }[]>;

/**
 * Every string an activity holds, and its URL form (relative ones resolved against the activity's
 * id, as JSON-LD does): what the server may have stored as an IRI.
 */
function namesIn(text: string): Set<string> {
  const strings: string[] = [];
  const parsed = JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === "string") strings.push(value);
    return value;
  }) as { id?: unknown };
  const base = typeof parsed.id === "string" && URL.canParse(parsed.id) ? parsed.id : undefined;
  const names = new Set(strings);
  for (const value of strings) {
    const url = URL.parse(value, base);
    if (url) names.add(url.href);
  }
  return names;
}

function originOf(iri: string): string | null {
  return URL.canParse(iri) ? new URL(iri).origin : null;
}

/** Why a change is unexplained, or null when an authentic activity of the row's owner explains it. */
function unexplained(
  change: Change,
  authentic: Authentic,
  removedActors: Set<string>,
  names: (text: string) => Set<string>,
): string | null {
  const { before, after } = change;
  const owner = after?.owner ?? before?.owner ?? null;
  if (owner == null) return "nobody outside may change this row";
  if (before && after && before.owner !== after.owner) return "the row changed hands";
  const sent = authentic.get(owner) ?? [];
  if (sent.length === 0) return `no authentic activity from ${owner}`;
  if (change.table === "remote_actors" && removedActors.has(change.key)) {
    return sent.some((a) => a.type === "Delete") ? null : "an actor forgotten without its own Delete";
  }
  if (change.kind === "removed") {
    // The actor deleted itself (its rows cascade), or a follower left (Undo names any Follow).
    if (change.table !== "remote_actors" && removedActors.has(owner)) return null;
    if (change.table === "followers" && sent.some((a) => a.type === "Undo")) return null;
  }
  // DESIGN.md §5 rule 2: what an actor creates lives on its own origin.
  if (change.table === "items" && change.kind === "added" && originOf(change.key) !== originOf(owner)) {
    return `an item on another origin than its author ${owner}`;
  }
  const mention = (after ?? before)?.mention;
  if (mention != null && !sent.some((a) => names(a.text).has(mention))) {
    return `no authentic activity from ${owner} names ${mention}`;
  }
  // Stored links must stay http(s): anything else is garbage that reached the database.
  const links = after ? (after.data.match(/"[a-z_]*url": ?"[^"]*"/g) ?? []) : [];
  const bad = links.find((l) => !/": ?"https?:\/\//.test(l));
  return bad ? `a stored link is not http(s): ${bad}` : null;
}

/** The changes between two snapshots that no authentic activity explains, each with why. */
export function unexpectedChanges(
  before: Snapshot,
  after: Snapshot,
  authentic: Authentic,
): (Change & { why: string })[] {
  const changes = diff(before, after);
  // An actor deleted (its rows cascade), or deleted and stored again under a new id.
  const idOf = (row?: Row) => (row ? (JSON.parse(row.data) as { id?: string }).id : undefined);
  const gone = (c: Change) =>
    c.table === "remote_actors" &&
    (c.kind === "removed" || (c.kind === "changed" && idOf(c.before) !== idOf(c.after)));
  const removedActors = new Set(changes.filter(gone).map((c) => c.key));
  const cache = new Map<string, Set<string>>();
  const names = (text: string) => {
    const found = cache.get(text) ?? namesIn(text);
    cache.set(text, found);
    return found;
  };
  return changes.flatMap((change) => {
    const why = unexplained(change, authentic, removedActors, names);
    return why ? [{ ...change, why }] : [];
  });
}
