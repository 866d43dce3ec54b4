import { Temporal } from "@js-temporal/polyfill";
import type { EventInput } from "../../domain/events.ts";
import type { Item } from "../../domain/items.ts";
import type { PracticeInput } from "../../domain/practices.ts";
import type { ResourceInput } from "../../domain/resources.ts";
import type { WebcastInput } from "../../domain/webcasts.ts";
import { list, type OptionSpec, optional, optionalNumber } from "../command.ts";

/** The options of `posts create --type event` (and of `posts update` on an event). */
export const eventOptions: Record<string, OptionSpec> = {
  start: { type: "string", value: "DATETIME", help: "Event: local start, such as 2026-12-10T10:00" },
  end: { type: "string", value: "DATETIME", help: "Event: local end (optional)" },
  "time-zone": { type: "string", value: "ZONE", help: "Event: IANA time zone (default Europe/Vilnius)" },
  place: { type: "string", value: "TEXT", help: "Event: venue and address, in one line" },
  lat: { type: "string", value: "X", help: "Event: the venue's latitude" },
  lon: { type: "string", value: "Y", help: "Event: the venue's longitude" },
  online: { type: "string", value: "URL", help: "Event: the link to join online" },
  registration: { type: "string", value: "URL", help: "Event: the registration link" },
  organizer: { type: "string", value: "TEXT", help: "Event: who organizes it" },
  audience: { type: "string", value: "TEXT", help: "Event: whom it is for" },
};

function local(date: Date | null, zone: string): string | undefined {
  if (!date) return undefined;
  return Temporal.Instant.fromEpochMilliseconds(date.getTime())
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: "minute" });
}

/** The options of `posts create --type resource` (and of `posts update` on a resource). */
export const resourceOptions: Record<string, OptionSpec> = {
  "resource-type": {
    type: "string",
    value: "KIND",
    help: "Resource: research, methodological-guideline, report or presentation",
  },
  author: { type: "string", value: "NAME", multiple: true, help: "Resource: an author (repeat for more)" },
  year: { type: "string", value: "YYYY", help: "Resource: the year it appeared" },
  document: { type: "string", value: "URL", help: "Resource: the document, a PDF or a page" },
};

/** The resource as the options give it; options left out keep what `existing` has. */
export function resourceInputFrom(values: Record<string, unknown>, existing?: Item): ResourceInput {
  const old = existing?.details?.kind === "resource" ? existing.details : undefined;
  return {
    resourceType: optional(values, "resource-type") ?? old?.resourceType ?? "",
    authors: list(values, "author") ?? old?.authors ?? [],
    year: optionalNumber(values, "year") ?? old?.year,
    documentUrl: optional(values, "document") ?? old?.documentUrl,
  };
}

/** The event as the options give it; options left out keep what `existing` has. */
export function eventInputFrom(values: Record<string, unknown>, existing?: Item): EventInput {
  const old = existing?.details?.kind === "event" ? existing.details : undefined;
  const zone = optional(values, "time-zone") ?? old?.timeZone ?? "Europe/Vilnius";
  const oldZone = old?.timeZone ?? zone;
  return {
    start: optional(values, "start") ?? local(existing?.startsAt ?? null, oldZone) ?? "",
    end: optional(values, "end") ?? local(existing?.endsAt ?? null, oldZone),
    timeZone: zone,
    placeName: optional(values, "place") ?? old?.location.place?.name,
    latitude: optionalNumber(values, "lat") ?? old?.location.place?.latitude,
    longitude: optionalNumber(values, "lon") ?? old?.location.place?.longitude,
    onlineUrl: optional(values, "online") ?? old?.location.online,
    registrationUrl: optional(values, "registration") ?? old?.registrationUrl,
    organizer: optional(values, "organizer") ?? old?.organizer,
    audience: optional(values, "audience") ?? old?.audience,
  };
}

/** The options of `posts create --type practice` (and of `posts update` on a good practice). */
export const practiceOptions: Record<string, OptionSpec> = {
  scope: {
    type: "string",
    value: "SCOPE",
    help: "Good practice: local, regional, national or international",
  },
  country: {
    type: "string",
    value: "CC",
    multiple: true,
    help: "Good practice: a country code, LT (repeat for more)",
  },
  "target-audience": {
    type: "string",
    value: "TEXT",
    multiple: true,
    help: "Good practice: whom it is for (repeat for more)",
  },
  "skill-level": {
    type: "string",
    value: "LEVEL",
    help: "Good practice: basic, intermediate, advanced or specialised",
  },
  funding: { type: "string", value: "TYPE", help: "Good practice: public, private, mixed or none" },
  funder: { type: "string", value: "TEXT", help: "Good practice: who funds it" },
  partner: {
    type: "string",
    value: "NAME",
    multiple: true,
    help: "Good practice: a partner (repeat for more)",
  },
  "period-start": { type: "string", value: "YYYY-MM", help: "Good practice: when it started" },
  "period-end": { type: "string", value: "YYYY-MM", help: "Good practice: when it ended" },
  reach: { type: "string", value: "TEXT", help: "Good practice: participants and reach" },
  results: { type: "string", value: "TEXT", help: "Good practice: its results" },
  contact: { type: "string", value: "TEXT", help: "Good practice: whom to contact" },
};

/** The good practice as the options give it; options left out keep what `existing` has. */
export function practiceInputFrom(values: Record<string, unknown>, existing?: Item): PracticeInput {
  const old = existing?.details?.kind === "practice" ? existing.details : undefined;
  return {
    scope: optional(values, "scope") ?? old?.scope ?? "",
    countries: list(values, "country") ?? old?.countries ?? [],
    audiences: list(values, "target-audience") ?? old?.audiences ?? [],
    skillLevel: optional(values, "skill-level") ?? old?.skillLevel,
    fundingType: optional(values, "funding") ?? old?.fundingType,
    funder: optional(values, "funder") ?? old?.funder,
    partners: list(values, "partner") ?? old?.partners ?? [],
    periodStart: optional(values, "period-start") ?? old?.periodStart,
    periodEnd: optional(values, "period-end") ?? old?.periodEnd,
    reach: optional(values, "reach") ?? old?.reach,
    results: optional(values, "results") ?? old?.results,
    contact: optional(values, "contact") ?? old?.contact,
  };
}

/** The options of `posts create --type webcast`; --start and --time-zone are the event's. */
export const webcastOptions: Record<string, OptionSpec> = {
  live: { type: "boolean", help: "Webcast: live or scheduled at --start (in --time-zone)" },
  stream: { type: "string", value: "URL", help: "Webcast: where to watch it live" },
  video: { type: "string", value: "URL", help: "Webcast: the recording, a file (mp4, webm) or its page" },
  duration: { type: "string", value: "H:MM:SS", help: "Webcast: how long it is (1:30:00, or minutes)" },
  thumbnail: { type: "string", value: "URL", help: "Webcast: a thumbnail image" },
};

/** The webcast as the options give it; options left out keep what `existing` has. */
export function webcastInputFrom(values: Record<string, unknown>, existing?: Item): WebcastInput {
  const old = existing?.details?.kind === "webcast" ? existing.details : undefined;
  const zone = optional(values, "time-zone") ?? old?.timeZone ?? "Europe/Vilnius";
  const seconds = old?.durationSeconds;
  return {
    live: values.live === true || (values.live == null && old?.live === true),
    start: optional(values, "start") ?? local(existing?.startsAt ?? null, old?.timeZone ?? zone),
    timeZone: zone,
    streamUrl: optional(values, "stream") ?? old?.streamUrl,
    videoUrl: optional(values, "video") ?? old?.videoUrl,
    duration: optional(values, "duration") ?? (seconds ? `PT${seconds}S` : undefined),
    thumbnailUrl: optional(values, "thumbnail") ?? old?.thumbnailUrl,
  };
}
