import { readFileSync } from "node:fs";

/**
 * DESIGN.md §6 targets for the fan-out, as the bench judges them. `ok` in its JSON line means all
 * of them were met; a missed target is a figure to report, not a failure (the exit code is kept
 * for wrong results: lost or duplicated deliveries, bad signatures).
 */
export const TARGETS = {
  /** Publishing while the burst's fan-outs are being delivered. */
  publish_ms_p95: { max: 100 },
  sustained_deliveries_per_s: { min: 300 },
  /** Peak RSS of the busiest process of our instance (this one, or a worker). */
  rss_mb: { max: 512 },
  /** Our processes plus PostgreSQL's backends, in the burst (the fake remote servers excluded). */
  cpu_ms_per_delivery: { max: 2.5 },
} as const;

type Name = keyof typeof TARGETS;
type Judged = { value: number; met: boolean } & ({ max: number } | { min: number });

export function judge(values: Record<Name, number>): { ok: boolean; targets: Record<Name, Judged> } {
  const targets = {} as Record<Name, Judged>;
  for (const name of Object.keys(TARGETS) as Name[]) {
    const target = TARGETS[name];
    const value = values[name];
    const met = "max" in target ? value <= target.max : value >= target.min;
    targets[name] = { ...target, value, met: Number.isFinite(value) && met };
  }
  return { ok: Object.values(targets).every((t) => t.met), targets };
}

/** Peak RSS in MB of a process on this machine so far (VmHWM in /proc/<pid>/status). */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}
