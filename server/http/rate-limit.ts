import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";

/**
 * A fixed-window counter per key, kept in PostgreSQL (an UNLOGGED table) so that every web
 * process of an instance shares one budget: behind a load balancer a client gets the limit once,
 * not once per process. One statement per hit.
 */
export class RateLimiter {
  #sinceSweep = 0;

  constructor(
    private readonly db: Db,
    /** Keys of this limiter start with it (login, inbox…), so limiters never share counters. */
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a hit; false when the key is over its limit for this window. */
  async take(key: string): Promise<boolean> {
    const window = `${this.windowMs} milliseconds`;
    const result = await this.db.execute<{ count: number }>(sql`
      INSERT INTO rate_limit_hits AS h (key, window_start, count)
      VALUES (${`${this.name}:${key}`}, now(), 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN h.window_start <= now() - ${window}::interval THEN 1 ELSE h.count + 1 END,
        window_start = CASE WHEN h.window_start <= now() - ${window}::interval THEN now() ELSE h.window_start END
      RETURNING count`);
    if (++this.#sinceSweep >= 1000) {
      this.#sinceSweep = 0;
      // Expired windows of keys that never came back.
      await this.db.execute(sql`
        DELETE FROM rate_limit_hits
        WHERE key LIKE ${`${this.name}:%`} AND window_start < now() - ${window}::interval`);
    }
    return (result[0]?.count ?? 0) <= this.limit;
  }

  /** Whether the key has used up this window's budget, without counting a hit. */
  async spent(key: string): Promise<boolean> {
    const window = `${this.windowMs} milliseconds`;
    const result = await this.db.execute<{ count: number }>(sql`
      SELECT count FROM rate_limit_hits
      WHERE key = ${`${this.name}:${key}`} AND window_start > now() - ${window}::interval`);
    return (result[0]?.count ?? 0) >= this.limit;
  }
}
