import { getLogger } from "@logtape/logtape";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";

const logger = getLogger(["baltic", "http", "rate-limit"]);

/** How often this process adds its hits to the shared counters and reads the others' back. */
const FLUSH_MS = 1000;
/** Expired windows of keys that never came back are deleted about this often. */
const SWEEP_MS = 60_000;

interface Counter {
  /** This process's clock: when the window ends (taken from the shared row when there is one). */
  windowEnds: number;
  /** The shared count as of the last read, our flushed hits included. */
  shared: number;
  /** Hits of this process not yet added to the shared row. */
  pending: number;
  /** Read since the last flush: the next flush refreshes `shared` even without hits. */
  touched: boolean;
}

type FlushedRow = {
  key: string;
  count: number;
  remaining_ms: number;
};

/**
 * A fixed-window counter per key, shared by every web process of an instance through
 * PostgreSQL (an UNLOGGED table): behind a load balancer a client gets the limit once, not once
 * per process. Hits are counted in this process's memory and added to the table in one
 * statement per second (was one statement per hit, three per inbox POST), so a decision is exact
 * for this process's own hits and sees other processes' hits within about a second. A key seen
 * for the first time in a window is read from the table once.
 */
export class RateLimiter {
  readonly #counters = new Map<string, Counter>();
  readonly #loading = new Map<string, Promise<Counter>>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #lastSweep = Date.now();

  constructor(
    private readonly db: Db,
    /** Keys of this limiter start with it (login, inbox…), so limiters never share counters. */
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
    /**
     * Write through and read back on every hit, so every process sees every other's hits at once:
     * for sign-in, where hits are few and a guessing budget must not grow with the process count.
     */
    readonly options: { exact?: boolean } = {},
  ) {}

  /** Counts a hit; false when the key is over its limit for this window. */
  async take(key: string): Promise<boolean> {
    const counter = await this.#counter(key);
    counter.pending++;
    if (this.options.exact) await this.flush();
    else this.#schedule();
    return counter.shared + counter.pending <= this.limit;
  }

  /** Whether the key has used up this window's budget, without counting a hit. */
  async spent(key: string): Promise<boolean> {
    const counter = await this.#counter(key);
    counter.touched = true;
    if (this.options.exact) await this.flush();
    else this.#schedule();
    return counter.shared + counter.pending >= this.limit;
  }

  /** Adds the pending hits to the table now (tests, shutdown); the timer does it otherwise. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#flushing = this.#flushOnce().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #counter(key: string): Promise<Counter> {
    const counter = this.#counters.get(key);
    if (counter && counter.windowEnds > Date.now()) return counter;
    // A new window: what other processes counted in it so far, read once.
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(key).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(key: string): Promise<Counter> {
    const rows = await this.db.execute<{ count: number; remaining_ms: number }>(sql`
      SELECT count, (extract(epoch FROM window_start + ${this.#window()}::interval - now()) * 1000)::float8
        AS remaining_ms
      FROM rate_limit_hits
      WHERE key = ${this.#key(key)} AND window_start > now() - ${this.#window()}::interval`);
    const row = rows[0];
    const counter: Counter = {
      windowEnds: Date.now() + (row ? Number(row.remaining_ms) : this.windowMs),
      shared: row?.count ?? 0,
      pending: 0,
      touched: false,
    };
    this.#counters.set(key, counter);
    return counter;
  }

  #key(key: string): string {
    return `${this.name}:${key}`;
  }

  #window(): string {
    return `${this.windowMs} milliseconds`;
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((error) => {
        logger.warn("Could not store rate-limit counters (retrying): {error}", { error });
        this.#schedule();
      });
    }, FLUSH_MS);
    this.#timer.unref();
  }

  async #flushOnce(): Promise<void> {
    const now = Date.now();
    const batch: { key: string; counter: Counter; sent: number }[] = [];
    for (const [key, counter] of this.#counters) {
      if (counter.windowEnds <= now) {
        // Hits of a window that is over count for nothing any more.
        this.#counters.delete(key);
      } else if (counter.pending > 0 || counter.touched) {
        batch.push({ key, counter, sent: counter.pending });
        counter.touched = false;
      }
    }
    if (batch.length > 0) {
      const window = this.#window();
      const hits = JSON.stringify(batch.map((b) => ({ k: this.#key(b.key), n: b.sent })));
      const rows = await this.db.execute<FlushedRow>(sql`
        INSERT INTO rate_limit_hits AS h (key, window_start, count)
        SELECT k, now(), n FROM jsonb_to_recordset(${hits}::jsonb) AS t(k text, n int)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN h.window_start <= now() - ${window}::interval THEN EXCLUDED.count
                  ELSE h.count + EXCLUDED.count END,
          window_start = CASE WHEN h.window_start <= now() - ${window}::interval THEN now()
                         ELSE h.window_start END
        RETURNING key, count,
          (extract(epoch FROM window_start + ${window}::interval - now()) * 1000)::float8 AS remaining_ms`);
      const byKey = new Map(rows.map((r) => [r.key, r]));
      for (const { key, counter, sent } of batch) {
        const row = byKey.get(this.#key(key));
        if (!row) continue;
        counter.pending -= sent;
        counter.shared = row.count;
        counter.windowEnds = Date.now() + Number(row.remaining_ms);
      }
    }
    if (now - this.#lastSweep >= SWEEP_MS) {
      this.#lastSweep = now;
      await this.db.execute(sql`
        DELETE FROM rate_limit_hits
        WHERE key LIKE ${`${this.name}:%`} AND window_start < now() - ${this.#window()}::interval`);
    }
  }
}
