import type postgres from "postgres";

/**
 * How messages are stored in queue_messages, with their shared parts stored once.
 *
 * A fan-out enqueues one delivery per inbox, and each of them carries the same signed activity
 * and the sender's keys (~9 KB of its ~10 KB). Stored as they are, 500 deliveries are 5 MB to
 * serialize, send, parse, compress and read back. So values that several messages of one insert
 * share (the same object, as Fedify passes them) are stored once, in a row of the pseudo-queue
 * SHARED_QUEUE that no worker takes, and each message keeps a reference under SHARED_KEY. The
 * shared row's `attempts` counts the messages that still refer to it: deleting a message
 * decrements it in the same statement (queue.ts), and a row at zero is deleted by the next claim
 * of any worker. All of it commits together with the messages, so a crash leaves no dangling
 * reference and nothing that is never cleaned up.
 */
export const SHARED_QUEUE = "$shared";
export const SHARED_KEY = "$shared";
/** Below this size (JSON characters) sharing saves less than the extra row costs. */
const SHARED_MIN_CHARS = 1024;
const CACHED_SHARED_PARTS = 64;

export interface NewRow {
  queue: string;
  message: unknown;
  orderingKey: string | null;
  runAt: string;
}

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

interface Group {
  shared: Json;
  json: string;
  rows: { row: NewRow; own: Json }[];
}

/** Groups the rows whose messages share (by identity) object values big enough to store once. */
function findShared(rows: NewRow[]): { groups: Group[]; alone: NewRow[] } {
  const seen = new Map<unknown, number>();
  for (const { message } of rows) {
    if (!isPlainObject(message)) continue;
    for (const value of Object.values(message)) {
      if (typeof value === "object" && value !== null) seen.set(value, (seen.get(value) ?? 0) + 1);
    }
  }
  const bySignature = new Map<string, Group>();
  const ids = new Map<unknown, number>();
  const alone: NewRow[] = [];
  for (const row of rows) {
    const { message } = row;
    const sharedKeys = isPlainObject(message)
      ? Object.keys(message).filter((k) => k !== SHARED_KEY && (seen.get(message[k]) ?? 0) > 1)
      : [];
    if (!isPlainObject(message) || sharedKeys.length === 0) {
      alone.push(row);
      continue;
    }
    const signature = sharedKeys
      .map((k) => {
        if (!ids.has(message[k])) ids.set(message[k], ids.size);
        return `${k}=${ids.get(message[k])}`;
      })
      .join("&");
    let group = bySignature.get(signature);
    if (!group) {
      const shared = Object.fromEntries(sharedKeys.map((k) => [k, message[k]]));
      group = { shared, json: JSON.stringify(shared), rows: [] };
      bySignature.set(signature, group);
    }
    const own = { ...message };
    for (const k of sharedKeys) delete own[k];
    group.rows.push({ row, own });
  }
  const groups: Group[] = [];
  for (const group of bySignature.values()) {
    if (group.rows.length > 1 && group.json.length >= SHARED_MIN_CHARS) groups.push(group);
    else alone.push(...group.rows.map((r) => r.row));
  }
  return { groups, alone };
}

type Sql = postgres.Sql | postgres.TransactionSql;

/** One INSERT for any number of messages (of any of our queues), in enqueue order. */
async function insertPayloads(sql: Sql, rows: NewRow[], payloads: string[]): Promise<void> {
  await sql`
    INSERT INTO queue_messages (queue, message, ordering_key, run_at)
    SELECT q, m::jsonb, k, r::timestamptz
    FROM unnest(${rows.map((r) => r.queue)}::text[], ${payloads}::text[],
                ${rows.map((r) => r.orderingKey) as string[]}::text[], ${rows.map((r) => r.runAt)}::text[])
      WITH ORDINALITY AS t(q, m, k, r, n)
    ORDER BY n`;
}

/** Stores `rows`, their shared parts once (see above), atomically. */
export async function insertMessages(sql: postgres.Sql, rows: NewRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { groups, alone } = findShared(rows);
  if (groups.length === 0) {
    await insertPayloads(
      sql,
      rows,
      rows.map((r) => JSON.stringify(r.message)),
    );
    return;
  }
  await sql.begin(async (tx) => {
    const payloads = new Map<NewRow, string>(alone.map((r) => [r, JSON.stringify(r.message)]));
    for (const group of groups) {
      const [row] = await tx<{ id: string }[]>`
        INSERT INTO queue_messages (queue, message, run_at, locked_until, attempts)
        VALUES (${SHARED_QUEUE}, ${group.json}::text::jsonb, now(), 'infinity',
                ${group.rows.length})
        RETURNING id`;
      for (const { row: r, own } of group.rows)
        payloads.set(r, JSON.stringify({ [SHARED_KEY]: Number(row?.id), ...own }));
    }
    await insertPayloads(
      tx,
      rows,
      rows.map((r) => payloads.get(r) ?? JSON.stringify(r.message)),
    );
  });
}

/** Per database (ids are only unique within one), the shared parts read lately, as JSON. */
const sharedPartsOf = new WeakMap<postgres.Sql, Map<number, Promise<string>>>();

async function loadSharedPart(sql: postgres.Sql, id: number): Promise<string> {
  const [row] = await sql<
    { json: string }[]
  >`SELECT message::text AS json FROM queue_messages WHERE id = ${id}`;
  if (!row) throw new Error(`The shared part ${id} of a queued message is missing`);
  return row.json;
}

/** The message as it was enqueued: its own fields and, if it refers to one, its shared part. */
export async function expandMessage(sql: postgres.Sql, message: unknown): Promise<unknown> {
  if (!isPlainObject(message) || typeof message[SHARED_KEY] !== "number") return message;
  const { [SHARED_KEY]: id, ...own } = message as Json & { [SHARED_KEY]: number };
  let sharedParts = sharedPartsOf.get(sql);
  if (!sharedParts) {
    sharedParts = new Map();
    sharedPartsOf.set(sql, sharedParts);
  }
  let part = sharedParts.get(id);
  if (!part) {
    if (sharedParts.size >= CACHED_SHARED_PARTS)
      sharedParts.delete(sharedParts.keys().next().value as number);
    part = loadSharedPart(sql, id);
    sharedParts.set(id, part);
    part.catch(() => sharedParts.delete(id));
  }
  // Parsed for each message: one handler must not see what another did to its copy.
  return { ...(JSON.parse(await part) as Json), ...own };
}
