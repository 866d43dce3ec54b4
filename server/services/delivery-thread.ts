import { Worker } from "node:worker_threads";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["baltic", "worker"]);

/**
 * The delivery thread's heap. Left alone, V8 lets it grow to ~450 MB of mostly garbage during a
 * fan-out; what is live is ~100 MB at 10,000 followers (a heap snapshot mid-burst: 20 MB code,
 * the followers' addresses of the fan-outs being expanded, pooled connections), growing ~25 MB
 * per 10,000 followers. 320 MB leaves room for ~50,000; larger instances run worker processes.
 */
const HEAP_MB = 320;
/**
 * The thread's young generation (short-lived objects: parsed activities, query rows). V8 lets it
 * grow to ~100 MB under load, memory it keeps; 24 MB costs no measurable CPU (bench:ingest: hub
 * peak RSS 630 → 519 MB, 8.2 → 8.1 ms CPU per activity).
 */
const YOUNG_MB = 24;
const RESTART_AFTER_MS = 5_000;
const STOP_TIMEOUT_MS = 10_000;

export interface DeliveryThreadData {
  /** The environment the process was configured from (the thread loads the same config). */
  env: Record<string, string | undefined>;
  /** The database to connect to: DATABASE_URL, or the embedded one the main thread runs. */
  databaseUrl: string;
}

/** The thread's module: the bundle's own entry when bundled, the TypeScript source otherwise. */
function entryUrl(): URL {
  const bundled = !import.meta.url.endsWith(".ts");
  return new URL(bundled ? "./delivery-thread.js" : "./delivery-thread-entry.ts", import.meta.url);
}

/**
 * NODE_TYPE=all: the queue workers run in a thread of their own, so deliveries (each needs ~2 ms
 * of an event loop) never hold up a web request waiting behind them on one loop (a publish took
 * 200–500 ms during a fan-out; see ADR 0006). A thread that dies (out of memory, a bug) is
 * restarted; its leased messages come back when their lease runs out. Resolves once `signal`
 * aborted and the thread finished its in-flight work.
 */
export async function runDeliveryThread(data: DeliveryThreadData, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const code = await runOnce(data, signal);
    if (signal.aborted) return;
    logger.error("The delivery thread stopped (exit code {code}); restarting it in {seconds} s", {
      code,
      seconds: RESTART_AFTER_MS / 1000,
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RESTART_AFTER_MS);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

function runOnce(data: DeliveryThreadData, signal: AbortSignal): Promise<number> {
  const worker = new Worker(entryUrl(), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: YOUNG_MB },
  });
  const stop = () => {
    worker.postMessage("stop");
    // In-flight deliveries get their time; a thread that hangs beyond it is ended.
    setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS).unref();
  };
  signal.addEventListener("abort", stop, { once: true });
  return new Promise((resolve) => {
    worker.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
        logger.error(
          "The delivery thread ran out of its {heap} MB heap; with this many followers, run NODE_TYPE=web and NODE_TYPE=worker processes instead (docs/operations.md)",
          { heap: HEAP_MB },
        );
      } else logger.error("The delivery thread failed: {error}", { error });
    });
    worker.on("exit", (code) => {
      signal.removeEventListener("abort", stop);
      resolve(code);
    });
  });
}
