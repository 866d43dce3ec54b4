import { Temporal } from "@js-temporal/polyfill";
import type { EventDetails, EventLocation } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField, type SummaryLanguage, summaryLanguage, textField } from "./fields.ts";

/** A training event as the editor's form and the CLI give it: local times in a time zone. */
export interface EventInput {
  /** Local date and time, `2026-12-10T10:00`. */
  start: string;
  end?: string;
  /** IANA name, `Europe/Vilnius`. */
  timeZone: string;
  placeName?: string;
  latitude?: number;
  longitude?: number;
  /** Where to join online. */
  onlineUrl?: string;
  registrationUrl?: string;
  organizer?: string;
  audience?: string;
}

export interface PreparedEvent {
  details: EventDetails;
  startsAt: Date;
  endsAt: Date | null;
}

const MAX_TEXT = 300;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return name.includes("/") || name === "UTC";
  } catch {
    return false;
  }
}

/** A local date-time in a zone as an instant; a time that does not exist (DST gap) is an error. */
export function instantOf(field: string, local: string, timeZone: string): Date {
  const value = local.trim();
  if (!LOCAL_DATE_TIME.test(value)) {
    throw new ValidationError(field, `"${value}" is not a date and time such as 2026-12-10T10:00`);
  }
  try {
    const zoned = Temporal.PlainDateTime.from(value.replace(" ", "T")).toZonedDateTime(timeZone, {
      disambiguation: "reject",
    });
    return new Date(zoned.epochMilliseconds);
  } catch {
    throw new ValidationError(field, `${value} does not exist in ${timeZone} (a clock change?)`);
  }
}

function coordinate(field: string, value: number | undefined, limit: number): number | undefined {
  if (value == null) return undefined;
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    throw new ValidationError(field, `must be a number between -${limit} and ${limit}`);
  }
  return value;
}

/** Validates an event's fields; each error names the field at fault. */
export function prepareEvent(input: EventInput): PreparedEvent {
  const timeZone = input.timeZone?.trim() || "";
  if (!isTimeZone(timeZone)) {
    throw new ValidationError("time-zone", `"${timeZone}" is not a time zone such as Europe/Vilnius`);
  }
  if (!input.start?.trim()) throw new ValidationError("start", "is required");
  const startsAt = instantOf("start", input.start, timeZone);
  const endsAt = input.end?.trim() ? instantOf("end", input.end, timeZone) : null;
  if (endsAt && endsAt.getTime() < startsAt.getTime()) {
    throw new ValidationError("end", "must not be before the start");
  }
  const location: EventLocation = {};
  const placeName = textField("place", input.placeName, MAX_TEXT);
  const latitude = coordinate("lat", input.latitude, 90);
  const longitude = coordinate("lon", input.longitude, 180);
  if ((latitude == null) !== (longitude == null)) {
    throw new ValidationError("lat", "give both latitude and longitude, or neither");
  }
  if (placeName) location.place = { name: placeName, latitude, longitude };
  else if (latitude != null) throw new ValidationError("place", "name the place the coordinates belong to");
  const online = httpUrlField("online", input.onlineUrl);
  if (online) location.online = online;
  if (!location.place && !location.online) {
    throw new ValidationError("place", "give the place (name and address) or the online link, or both");
  }
  const details: EventDetails = { kind: "event", timeZone, location };
  const registrationUrl = httpUrlField("registration", input.registrationUrl);
  if (registrationUrl) details.registrationUrl = registrationUrl;
  const organizer = textField("organizer", input.organizer, MAX_TEXT);
  if (organizer) details.organizer = organizer;
  const audience = textField("audience", input.audience, MAX_TEXT);
  if (audience) details.audience = audience;
  return { details, startsAt, endsAt };
}

/** The word for "online" in the languages we write summaries in. */
const ONLINE: Record<SummaryLanguage, string> = { en: "Online", lt: "Nuotoliniu būdu", lv: "Tiešsaistē" };

/** Dates in English as Europe writes them (10 December 2026, 14:00), not as en-US does. */
const dateLocale = (language: SummaryLanguage) => (language === "en" ? "en-GB" : language);

/**
 * When an event happens, in its language and time zone: "10 December 2026, 10:00–12:00 GMT+2
 * (Europe/Vilnius)". Mastodon ignores `startTime` and `location`, so the summary carries this.
 */
export function formatEventTime(
  startsAt: Date,
  endsAt: Date | null,
  timeZone: string,
  language?: string | null,
): string {
  const locale = summaryLanguage(language);
  const day = new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: "long", timeZone });
  const time = new Intl.DateTimeFormat(dateLocale(locale), { hour: "2-digit", minute: "2-digit", timeZone });
  const offset =
    new Intl.DateTimeFormat("en", { timeZone, timeZoneName: "shortOffset" })
      .formatToParts(startsAt)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const zone = `${offset} (${timeZone})`;
  if (!endsAt) return `${day.format(startsAt)}, ${time.format(startsAt)} ${zone}`;
  const sameDay = day.format(startsAt) === day.format(endsAt);
  return sameDay
    ? `${day.format(startsAt)}, ${time.format(startsAt)}–${time.format(endsAt)} ${zone}`
    : `${day.format(startsAt)}, ${time.format(startsAt)} – ${day.format(endsAt)}, ${time.format(endsAt)} ${zone}`;
}

/** Where, in one line: the place, "Online", or both. */
export function formatEventPlace(location: EventLocation, language?: string | null): string {
  const online = ONLINE[summaryLanguage(language)];
  if (location.place && location.online) return `${location.place.name} + ${online.toLowerCase()}`;
  return location.place?.name ?? online;
}

/** The first line of an event's summary: when and where. */
export function eventFacts(prepared: PreparedEvent, language?: string | null): string {
  const zone = prepared.details.timeZone ?? "UTC";
  return `${formatEventTime(prepared.startsAt, prepared.endsAt, zone, language)} · ${formatEventPlace(prepared.details.location, language)}`;
}
