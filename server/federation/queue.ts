import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type postgres from "postgres";

const logger = getLogger(["baltic", "queue"]);
const NOTIFY_EVERY_MS = 50;

interface PendingRow {
  queue: PostgresAtLeastOnceQueue;
  payload: string;
  orderingKey: string | null;
  runAt: string;
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
  #wake: (() => void) | undefined;
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
      queue: this as PostgresAtLeastOnceQueue,
      payload: JSON.stringify(message),
      orderingKey: options?.orderingKey ?? null,
      runAt: runAt.toISOString(),
    }));
    const batch = handlerBatch.getStore();
    if (batch) {
      batch.push(...rows);
      return;
    }
    await insertRows(this.#sql, rows);
  }

  /** After rows of this queue were inserted: wake our listener and the other processes'. */
  async announce(): Promise<void> {
    this.#wake?.();
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
    const subscription = await this.#sql.listen(this.#channel, () => this.#wake?.());
    const inFlight = new Set<Promise<void>>();
    const leased = new Set<number>();
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
    try {
      while (!signal?.aborted) {
        const free = this.#concurrency - inFlight.size;
        const claimed = free > 0 ? await this.#claim(free).catch((error) => this.#claimFailed(error)) : [];
        for (const row of claimed) {
          leased.add(row.id);
          const task = this.#handle(row, handler).finally(() => {
            leased.delete(row.id);
            inFlight.delete(task);
            this.#wake?.();
          });
          inFlight.add(task);
        }
        // A full batch means more may be waiting: take again at once instead of sleeping.
        if (claimed.length > 0 && claimed.length === free) continue;
        await this.#sleep(signal);
      }
    } finally {
      await Promise.allSettled(inFlight);
      clearInterval(heartbeat);
      await subscription.unlisten();
    }
  }

  #claimFailed(error: unknown): ClaimedRow[] {
    logger.error("Could not take messages from the queue: {error}", { error });
    return [];
  }

  /**
   * Leases up to `limit` ready messages. Of messages sharing an ordering key only the oldest is
   * eligible, so they run one after another in enqueue order. Scanning in id (enqueue) order lets
   * the LIMIT stop early even with thousands queued; ordering by run_at would sort them all.
   */
  async #claim(limit: number): Promise<ClaimedRow[]> {
    return this.#sql<ClaimedRow[]>`
      UPDATE queue_messages AS q
      SET locked_until = now() + make_interval(secs => ${this.#leaseSeconds}), attempts = q.attempts + 1
      WHERE q.id IN (
        SELECT c.id FROM queue_messages AS c
        WHERE c.queue = ${this.name} AND c.run_at <= now()
          AND (c.locked_until IS NULL OR c.locked_until < now())
          AND (c.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM queue_messages AS o WHERE o.ordering_key = c.ordering_key AND o.id < c.id))
        ORDER BY c.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING q.id, q.message, q.attempts`;
  }

  async #handle(row: ClaimedRow, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    try {
      const batch: PendingRow[] = [];
      await handlerBatch.run(batch, () => handler(row.message));
      await insertRows(this.#sql, batch);
      await this.#sql`DELETE FROM queue_messages WHERE id = ${row.id}`;
    } catch (error) {
      // Fedify retries deliveries itself; a throw here is unexpected, so back off and try again.
      if (row.attempts >= this.#maxAttempts) {
        logger.error("Dropping queue message {id} after {attempts} attempts: {error}", {
          id: row.id,
          attempts: row.attempts,
          error,
        });
        await this.#sql`DELETE FROM queue_messages WHERE id = ${row.id}`.catch(() => {});
        return;
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
    }
  }

  #sleep(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#pollIntervalMs);
      signal?.addEventListener("abort", done);
      this.#wake = done;
    });
  }
}

/** One INSERT for any number of messages (of any of our queues), in enqueue order. */
async function insertRows(sql: postgres.Sql, rows: PendingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO queue_messages (queue, message, ordering_key, run_at)
    SELECT q, m::jsonb, k, r::timestamptz
    FROM unnest(${rows.map((r) => r.queue.name)}::text[], ${rows.map((r) => r.payload)}::text[],
                ${rows.map((r) => r.orderingKey) as string[]}::text[], ${rows.map((r) => r.runAt)}::text[])
      WITH ORDINALITY AS t(q, m, k, r, n)
    ORDER BY n`;
  for (const queue of new Set(rows.map((r) => r.queue))) await queue.announce();
}
