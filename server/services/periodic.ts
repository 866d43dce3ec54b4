/**
 * Runs `tick` now and then every `intervalMs` until `signal` aborts (the worker's timed chores:
 * feed polling, scheduled publishing). A failing tick is logged by `onError` and the loop goes
 * on; an abort cuts the wait short, so shutdown does not wait for the next tick.
 */
export async function runPeriodically(
  intervalMs: number,
  signal: AbortSignal,
  tick: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await tick();
    } catch (error) {
      onError(error);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
