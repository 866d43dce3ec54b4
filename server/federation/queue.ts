import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type postgres from "postgres";
import { expandMessage, insertMessages, type NewRow, SHARED_KEY, SHARED_QUEUE } from "./queue-rows.ts";

const logger = getLogger(["baltic", "queue"]);
const NOTIFY_EVERY_MS = 50;
const ANALYZE_AFTER_ROWS = 100;
const ANALYZE_EVERY_MS = 10_000;

interface PendingRow extends NewRow {
  owner: PostgresAtLeastOnceQueue;
}

/**
 * Messages enqueued while a handler runs (a fan-out enqueues one delivery per inbox, awaiting
 * each) are collected here and inserted in one statement when the handler returns, before its
 * own message is deleted. A crash before that leaves the handler's message to run again, so
 * nothing is lost: the same at-least-once guarantee, without hundreds of round trips.
 */
const handlerBatch = new AsyncLocalStorage<PendingRow[]>();

export interface QueueOptions {
  /** Which of Fedify's queues this is (rows carry it); default "default". */
  name?: string;
  /** How many messages one process handles at once. */
  concurrency?: number;
  /**
   * How long a taken message stays invisible to other workers. A live worker renews the lease of
   * what it is handling every third of this, so only a dead worker's messages come back.
   */
  leaseSeconds?: number;
  /** Polling interval: the fallback should a NOTIFY be missed (LISTEN wakes workers at once). */
  pollIntervalMs?: number;
  /** Attempts after which a message whose handler keeps throwing is dropped (and logged). */
  maxAttempts?: number;
}

/** What ended a sleep of the listen loop: a finished handler, new messages, or the poll interval. */
type Wake = "task" | "notify" | "timeout";

interface ClaimedRow {
  id: number;
  message: unknown;
  attempts: number;
}

/**
 * Fedify's MessageQueue with at-least-once delivery over our own table (see ADR 0002).
 * A message is leased with `FOR UPDATE SKIP LOCKED` and deleted only after its handler returns,
 * so `kill -9` mid-delivery leaves it to be taken again once the lease runs out.
 */
export class PostgresAtLeastOnceQueue implements MessageQueue {
  readonly nativeRetrial = false;
  readonly #sql: postgres.Sql;
  readonly name: string;
  readonly #channel: string;
  readonly #concurrency: number;
  readonly #leaseSeconds: number;
  readonly #pollIntervalMs: number;
  readonly #maxAttempts: number;
  #wake: ((why: Wake) => void) | undefined;
  /** Why the loop would have been woken while it was not sleeping. */
  #missed: Wake | undefined;
  #lastNotify = 0;
  #trailingNotify: NodeJS.Timeout | undefined;

  constructor(sql: postgres.Sql, options: QueueOptions = {}) {
    this.#sql = sql;
    this.name = options.name ?? "default";
    this.#channel = `queue_messages_${this.name}`;
    this.#concurrency = options.concurrency ?? 16;
    this.#leaseSeconds = options.leaseSeconds ?? 15;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#maxAttempts = options.maxAttempts ?? 10;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delayMs = options?.delay?.total({ unit: "millisecond" }) ?? 0;
    const runAt = new Date(Date.now() + Math.max(0, delayMs));
    const rows = messages.map((message) => ({
      owner: this as PostgresAtLeastOnceQueue,
      queue: this.name,
      message,
      orderingKey: options?.orderingKey ?? null,
      runAt: runAt.toISOString(),
    }));
    const batch = handlerBatch.getStore();
    if (batch) {
      batch.push(...rows);
      return;
    }
    await batcherFor(this.#sql).insert(rows);
  }

  /** After rows of this queue were inserted: wake our listener and the other processes'. */
  async announce(): Promise<void> {
    this.#wakeUp("notify");
    await this.#notifyOthers();
  }

  /**
   * Wakes workers in other processes. A fan-out enqueues hundreds of messages one by one, and
   * every NOTIFY serializes commits server-wide, so at most one goes out per 50 ms; a trailing
   * one covers the messages enqueued in between. (Our own listener was woken directly.)
   */
  async #notifyOthers(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastNotify >= NOTIFY_EVERY_MS) {
      this.#lastNotify = now;
      await this.#sql.notify(this.#channel, "");
    } else if (!this.#trailingNotify) {
      this.#trailingNotify = setTimeout(() => {
        this.#trailingNotify = undefined;
        this.#lastNotify = Date.now();
        this.#sql.notify(this.#channel, "").catch(() => {});
      }, NOTIFY_EVERY_MS);
    }
  }

  async getDepth(): Promise<{ queued: number; ready: number; delayed: number }> {
    const [row] = await this.#sql<{ queued: number; ready: number }[]>`
      SELECT count(*)::int AS queued, count(*) FILTER (WHERE run_at <= now())::int AS ready
      FROM queue_messages WHERE queue = ${this.name}`;
    const queued = row?.queued ?? 0;
    const ready = row?.ready ?? 0;
    return { queued, ready, delayed: queued - ready };
  }

  async listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) {
    const signal = options?.signal;
    const subscription = await this.#sql.listen(this.#channel, () => this.#wakeUp("notify"));
    const inFlight = new Set<Promise<void>>();
    // Taken and not yet deleted: running, or handled and waiting for the next batched delete.
    const leased = new Set<number>();
    const acks: number[] = [];
    const heartbeat = setInterval(
      () => {
        if (leased.size === 0) return;
        this.#sql`
        UPDATE queue_messages SET locked_until = now() + make_interval(secs => ${this.#leaseSeconds})
        WHERE id = ANY(${[...leased]}::bigint[])`.catch((error) => {
          logger.warn("Could not renew queue leases: {error}", { error });
        });
      },
      (this.#leaseSeconds * 1000) / 3,
    );
    // One round trip deletes what was handled and takes what fits. After a handler finishes, wait
    // until a quarter of the slots are free (or none is busy) so each trip carries several rows.
    const minBatch = Math.max(1, Math.floor(this.#concurrency / 4));
    let wake: Wake = "notify";
    try {
      while (!signal?.aborted) {
        const free = this.#concurrency - inFlight.size;
        const worthATrip = wake !== "task" || free >= minBatch || inFlight.size === 0;
        if (worthATrip && (free > 0 || acks.length > 0)) {
          const done = acks.splice(0);
          let claimed: ClaimedRow[] = [];
          try {
            claimed = await this.#claim(free, done);
            for (const id of done) leased.delete(id);
          } catch (error) {
            acks.push(...done);
            this.#claimFailed(error);
          }
          for (const row of claimed) {
            leased.add(row.id);
            const task = this.#handle(row, handler)
              .then((handled) => {
                if (handled) acks.push(row.id);
                else leased.delete(row.id);
              })
              .finally(() => {
                inFlight.delete(task);
                this.#wakeUp("task");
              });
            inFlight.add(task);
          }
          // A full batch means more may be waiting: take again at once instead of sleeping.
          if (claimed.length > 0 && claimed.length === free) {
            wake = "notify";
            continue;
          }
        }
        wake = await this.#sleep(signal);
      }
    } finally {
      await Promise.allSettled(inFlight);
      clearInterval(heartbeat);
      if (acks.length > 0) {
        await this.#claim(0, acks).catch((error) => {
          logger.warn("Could not delete handled messages; they will run again: {error}", { error });
        });
      }
      await subscription.unlisten();
    }
  }

  #claimFailed(error: unknown): void {
    logger.error("Could not take messages from the queue: {error}", { error });
  }

  /**
   * Deletes the handled messages `acks` (releasing their shared parts, and deleting those no
   * message refers to any more) and leases up to `limit` ready ones, in one statement. Of
   * messages sharing an ordering key only the oldest is eligible, so they run one after another in
   * enqueue order; a row deleted here no longer holds back its successor, which may be taken in
   * the same statement (both commit together). The (queue, run_at) index yields this queue's
   * ready rows due first, so the LIMIT stops after a few rows even with thousands queued (given
   * sane statistics: see refreshStatistics); the ids go through an array so the UPDATE looks
   * them up by primary key whatever the plan.
   */
  async #claim(limit: number, acks: number[]): Promise<ClaimedRow[]> {
    return this.#sql<ClaimedRow[]>`
      WITH spent AS (DELETE FROM queue_messages WHERE queue = ${SHARED_QUEUE} AND attempts <= 0),
      acked AS (
        DELETE FROM queue_messages WHERE id = ANY(${acks}::bigint[])
        RETURNING (message ->> ${SHARED_KEY})::bigint AS shared),
      released AS (
        UPDATE queue_messages AS s SET attempts = s.attempts - r.n
        FROM (SELECT shared, count(*)::int AS n FROM acked WHERE shared IS NOT NULL GROUP BY shared) AS r
        WHERE s.id = r.shared)
      UPDATE queue_messages AS q
      SET locked_until = now() + make_interval(secs => ${this.#leaseSeconds}), attempts = q.attempts + 1
      WHERE q.id = ANY(ARRAY(
        SELECT c.id FROM queue_messages AS c
        WHERE c.queue = ${this.name} AND c.run_at <= now()
          AND (c.locked_until IS NULL OR c.locked_until < now())
          AND (c.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM queue_messages AS o
            WHERE o.ordering_key = c.ordering_key AND o.id < c.id AND o.id <> ALL(${acks}::bigint[])))
        ORDER BY c.run_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED))
      RETURNING q.id, q.message, q.attempts`;
  }

  /**
   * Runs the handler and stores what it enqueued. True means the message is done (handled, or
   * dropped after too many attempts) and is to be deleted (the caller batches those deletes);
   * false, that it was put back for a retry.
   */
  async #handle(row: ClaimedRow, handler: (message: unknown) => Promise<void> | void): Promise<boolean> {
    try {
      const message = await expandMessage(this.#sql, row.message);
      const batch: PendingRow[] = [];
      await handlerBatch.run(batch, () => handler(message));
      await insertRows(this.#sql, batch);
      return true;
    } catch (error) {
      // Fedify retries deliveries itself; a throw here is unexpected, so back off and try again.
      if (row.attempts >= this.#maxAttempts) {
        logger.error("Dropping queue message {id} after {attempts} attempts: {error}", {
          id: row.id,
          attempts: row.attempts,
          error,
        });
        return true;
      }
      const backoffSeconds = Math.min(3600, 2 ** row.attempts);
      logger.warn("Queue message {id} failed (attempt {attempts}); retrying in {backoffSeconds} s: {error}", {
        id: row.id,
        attempts: row.attempts,
        backoffSeconds,
        error,
      });
      await this.#sql`
        UPDATE queue_messages
        SET locked_until = NULL, run_at = now() + make_interval(secs => ${backoffSeconds})
        WHERE id = ${row.id}`.catch(() => {});
      return false;
    }
  }

  /** Wakes the listen loop, or makes its next sleep return at once if it is busy. */
  #wakeUp(why: Wake): void {
    if (this.#wake) this.#wake(why);
    else if (this.#missed !== "notify") this.#missed = why;
  }

  #sleep(signal: AbortSignal | undefined): Promise<Wake> {
    const missed = this.#missed;
    this.#missed = undefined;
    if (missed) return Promise.resolve(missed);
    return new Promise((resolve) => {
      const done = (why: Wake) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#wake = undefined;
        resolve(why);
      };
      const onAbort = () => done("timeout");
      const timer = setTimeout(() => done("timeout"), this.#pollIntervalMs);
      signal?.addEventListener("abort", onAbort);
      this.#wake = done;
    });
  }
}

/** Stores the rows (see queue-rows.ts), then wakes the workers of their queues. */
async function insertRows(sql: postgres.Sql, rows: PendingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertMessages(sql, rows);
  for (const queue of new Set(rows.map((r) => r.owner))) await queue.announce();
  if (rows.length >= ANALYZE_AFTER_ROWS) refreshStatistics(sql);
}

/** Requests whose rows one INSERT carries at most. */
const MAX_GROUPED = 64;

/**
 * Group commit for enqueues outside handlers (an inbox POST enqueues its activity before it
 * answers 202): the first enqueue is inserted at once; those arriving while an INSERT is under
 * way wait for it and then go together in the next one. Each caller still returns only once its
 * rows are committed, so nothing acknowledged can be lost, and an idle queue adds no delay. A
 * failed group is retried request by request, so one bad message fails only its own request.
 */
class InsertGroups {
  readonly #waiting: { rows: PendingRow[]; done: (error?: unknown) => void }[] = [];
  #running = false;

  constructor(private readonly sql: postgres.Sql) {}

  insert(rows: PendingRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ rows, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, MAX_GROUPED);
        try {
          await insertRows(
            this.sql,
            group.flatMap((g) => g.rows),
          );
          for (const g of group) g.done();
        } catch (error) {
          if (group.length === 1) group[0]?.done(error ?? new Error("enqueue failed"));
          else {
            for (const g of group) {
              await insertRows(this.sql, g.rows).then(
                () => g.done(),
                (cause: unknown) => g.done(cause ?? new Error("enqueue failed")),
              );
            }
          }
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

const insertGroups = new WeakMap<postgres.Sql, InsertGroups>();

function batcherFor(sql: postgres.Sql): InsertGroups {
  let groups = insertGroups.get(sql);
  if (!groups) {
    groups = new InsertGroups(sql);
    insertGroups.set(sql, groups);
  }
  return groups;
}

const lastAnalyze = new WeakMap<postgres.Sql, number>();

/**
 * A queue table swings from empty to thousands of rows within seconds, long before autovacuum
 * analyzes it. With statistics of a nearly empty table the planner answers a claim by reading
 * and sorting every ready row (tens of ms per claim with a few thousand queued). So after a big
 * insert, at most every ANALYZE_EVERY_MS per process, the columns claims filter on are analyzed
 * (a few ms; it blocks no reads or writes).
 */
function refreshStatistics(sql: postgres.Sql): void {
  if (Date.now() - (lastAnalyze.get(sql) ?? 0) < ANALYZE_EVERY_MS) return;
  lastAnalyze.set(sql, Date.now());
  sql`ANALYZE queue_messages (queue, run_at, locked_until, ordering_key)`.catch((error) => {
    logger.debug("Could not analyze queue_messages: {error}", { error });
  });
}
