import type { WebcastDetails } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { formatEventTime, instantOf, isTimeZone } from "./events.ts";
import { httpUrlField, type SummaryLanguage, summaryLanguage } from "./fields.ts";

/** A webcast as the editor's form and the CLI give it. */
export interface WebcastInput {
  /** Live (or scheduled) at `start`; otherwise a recording. */
  live: boolean;
  /** Local date and time of a live webcast, `2026-12-10T10:00`. */
  start?: string;
  /** IANA name, `Europe/Vilnius`. */
  timeZone?: string;
  streamUrl?: string;
  /** The recording: a video file (mp4, webm) or its page on a video host. */
  videoUrl?: string;
  /** `1:30:00`, `45:00`, `90` (minutes) or ISO 8601 `PT1H30M`. */
  duration?: string;
  thumbnailUrl?: string;
}

export interface PreparedWebcast {
  details: WebcastDetails;
  startsAt: Date | null;
  endsAt: Date | null;
}

const MAX_DURATION = 7 * 24 * 3600;
const ISO_DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/i;
const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/;

/** A duration as typed, in seconds; undefined when left empty. */
export function parseDuration(field: string, value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  let seconds: number | null = null;
  const iso = ISO_DURATION.exec(trimmed);
  const clock = CLOCK.exec(trimmed);
  if (iso && trimmed.length > 2) {
    seconds = Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  } else if (clock) {
    seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    if (Number(clock[3]) > 59 || (clock[1] != null && Number(clock[2]) > 59)) seconds = null;
  } else if (/^\d{1,5}$/.test(trimmed)) {
    seconds = Number(trimmed) * 60;
  }
  if (seconds == null || seconds <= 0 || seconds > MAX_DURATION) {
    throw new ValidationError(field, `"${trimmed}" is not a duration such as 1:30:00, 45:00 or 90 (minutes)`);
  }
  return seconds;
}

/** Validates a webcast's fields; each error names the field at fault. What the links point at is
 * read later (services/publishing.ts), before anything is stored. */
export function prepareWebcast(input: WebcastInput): PreparedWebcast {
  const details: WebcastDetails = { kind: "webcast", live: input.live };
  const videoUrl = httpUrlField("video", input.videoUrl);
  if (videoUrl) details.videoUrl = videoUrl;
  const thumbnailUrl = httpUrlField("thumbnail", input.thumbnailUrl);
  if (thumbnailUrl) details.thumbnailUrl = thumbnailUrl;
  const durationSeconds = parseDuration("duration", input.duration);
  if (durationSeconds) details.durationSeconds = durationSeconds;
  if (!input.live) {
    if (!videoUrl)
      throw new ValidationError("video", "a recorded webcast needs its video: a file or its page");
    return { details, startsAt: null, endsAt: null };
  }
  const timeZone = input.timeZone?.trim() || "";
  if (!isTimeZone(timeZone)) {
    throw new ValidationError("time-zone", `"${timeZone}" is not a time zone such as Europe/Vilnius`);
  }
  if (!input.start?.trim()) throw new ValidationError("start", "a live webcast needs its start");
  const startsAt = instantOf("start", input.start, timeZone);
  details.timeZone = timeZone;
  const streamUrl = httpUrlField("stream", input.streamUrl);
  if (streamUrl) details.streamUrl = streamUrl;
  const endsAt = durationSeconds ? new Date(startsAt.getTime() + durationSeconds * 1000) : null;
  return { details, startsAt, endsAt };
}

const WORDS: Record<SummaryLanguage, { live: string; recording: string; hours: string; minutes: string }> = {
  en: { live: "Live webcast", recording: "Webcast recording", hours: "h", minutes: "min" },
  lt: { live: "Tiesioginė transliacija", recording: "Vaizdo įrašas", hours: "val.", minutes: "min." },
  lv: { live: "Tiešraide", recording: "Videoieraksts", hours: "st.", minutes: "min." },
};

/** "1 h 30 min", in the item's language. */
export function formatDuration(seconds: number, language?: string | null): string {
  const words = WORDS[summaryLanguage(language)];
  let hours = Math.floor(seconds / 3600);
  let minutes = Math.round((seconds % 3600) / 60);
  if (minutes === 60) {
    hours += 1;
    minutes = 0;
  }
  const parts = hours > 0 ? [`${hours} ${words.hours}`] : [];
  if (minutes > 0 || hours === 0) parts.push(`${Math.max(1, minutes)} ${words.minutes}`);
  return parts.join(" ");
}

/**
 * The first line of a webcast's summary (Mastodon shows only the summary): "Live webcast ·
 * 10 December 2026, 10:00 GMT+2 (Europe/Vilnius) · 1 h 30 min", or "Webcast recording · 45 min".
 */
export function webcastFacts(prepared: PreparedWebcast, language?: string | null): string {
  const { details, startsAt } = prepared;
  const words = WORDS[summaryLanguage(language)];
  return [
    details.live ? words.live : words.recording,
    startsAt ? formatEventTime(startsAt, null, details.timeZone ?? "UTC", language) : undefined,
    details.durationSeconds ? formatDuration(details.durationSeconds, language) : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
}
