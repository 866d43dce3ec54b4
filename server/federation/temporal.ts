import { Temporal as Polyfill } from "@js-temporal/polyfill";

/**
 * Fedify's types name the standard `Temporal` (lib esnext.temporal) while at run time it uses
 * @js-temporal/polyfill, because Node 24 has no global Temporal. The two declarations differ
 * slightly, hence the one cast here.
 */
export function toInstant(date: Date): Temporal.Instant {
  return Polyfill.Instant.fromEpochMilliseconds(date.getTime()) as unknown as Temporal.Instant;
}

export function hours(n: number): Temporal.Duration {
  return Polyfill.Duration.from({ hours: n }) as unknown as Temporal.Duration;
}

export function seconds(n: number): Temporal.Duration {
  return Polyfill.Duration.from({ seconds: n }) as unknown as Temporal.Duration;
}
