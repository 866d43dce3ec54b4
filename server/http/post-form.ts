import { Temporal } from "@js-temporal/polyfill";
import type { PostFormValues } from "../../web/pages/admin.tsx";
import type { TranslationValues } from "../../web/pages/translation-fields.tsx";
import { ValidationError } from "../domain/errors.ts";
import type { EventInput } from "../domain/events.ts";
import type { Item } from "../domain/items.ts";
import { POST_TYPES, type PostInput, type PostType, postTypeOf, writtenSummary } from "../domain/posts.ts";
import type { PracticeInput } from "../domain/practices.ts";
import type { ResourceInput } from "../domain/resources.ts";
import type { WebcastInput } from "../domain/webcasts.ts";
import { currentImages, keptImages } from "./image-form.ts";

/** A parsed form body, as Hono's parseBody gives it. */
export type Form = Record<string, string | File | (string | File)[]>;

export function field(form: Form, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value : "";
}

/** A number typed in a form (a decimal comma accepted); undefined when left empty. */
export function numberField(form: Form, name: string): number | undefined {
  const value = field(form, name).trim();
  if (!value) return undefined;
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n)) throw new ValidationError(name, "must be a number");
  return n;
}

const POST_TYPE_NAMES = Object.keys(POST_TYPES);

function typeOf(form: Form): PostType {
  const type = field(form, "type");
  return (POST_TYPE_NAMES as readonly string[]).includes(type) ? (type as PostType) : "article";
}

function resourceInputFrom(form: Form): ResourceInput {
  const year = field(form, "resourceYear").trim();
  return {
    resourceType: field(form, "resourceType"),
    authors: field(form, "resourceAuthors").split(/\r?\n/),
    year: year ? Number(year) : undefined,
    documentUrl: field(form, "resourceDocument") || undefined,
  };
}

function practiceInputFrom(form: Form): PracticeInput {
  return {
    scope: field(form, "practiceScope"),
    countries: [field(form, "practiceCountries")],
    audiences: field(form, "practiceAudiences").split(/\r?\n/),
    skillLevel: field(form, "practiceSkill") || undefined,
    fundingType: field(form, "practiceFunding") || undefined,
    funder: field(form, "practiceFunder") || undefined,
    partners: field(form, "practicePartners").split(/\r?\n/),
    periodStart: field(form, "practicePeriodStart") || undefined,
    periodEnd: field(form, "practicePeriodEnd") || undefined,
    reach: field(form, "practiceReach") || undefined,
    results: field(form, "practiceResults") || undefined,
    contact: field(form, "practiceContact") || undefined,
  };
}

function webcastInputFrom(form: Form): WebcastInput {
  return {
    live: field(form, "webcastLive") === "1",
    start: field(form, "webcastStart") || undefined,
    timeZone: field(form, "webcastTimeZone") || undefined,
    streamUrl: field(form, "webcastStream") || undefined,
    videoUrl: field(form, "webcastVideo") || undefined,
    duration: field(form, "webcastDuration") || undefined,
    thumbnailUrl: field(form, "webcastThumbnail") || undefined,
  };
}

function eventInputFrom(form: Form): EventInput {
  return {
    start: field(form, "eventStart"),
    end: field(form, "eventEnd") || undefined,
    timeZone: field(form, "eventTimeZone"),
    placeName: field(form, "eventPlace") || undefined,
    latitude: numberField(form, "eventLat"),
    longitude: numberField(form, "eventLon"),
    onlineUrl: field(form, "eventOnline") || undefined,
    registrationUrl: field(form, "eventRegistration") || undefined,
    organizer: field(form, "eventOrganizer") || undefined,
    audience: field(form, "eventAudience") || undefined,
  };
}

/** The versions in other languages as typed (`tr.<language>.<part>` fields). */
function translationValues(form: Form): Record<string, TranslationValues> {
  const out: Record<string, TranslationValues> = {};
  for (const [name, value] of Object.entries(form)) {
    const match = /^tr\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.(title|summary|content)$/.exec(name);
    if (!match || typeof value !== "string") continue;
    const [, language, part] = match as unknown as [string, string, keyof TranslationValues];
    out[language] ??= { title: "", summary: "", content: "" };
    out[language][part] = value;
  }
  return out;
}

/** What the editor's form asks to publish. */
export function postInputFrom(form: Form): PostInput {
  const type = typeOf(form);
  return {
    type,
    event: type === "event" ? eventInputFrom(form) : undefined,
    resource: type === "resource" ? resourceInputFrom(form) : undefined,
    practice: type === "practice" ? practiceInputFrom(form) : undefined,
    webcast: type === "webcast" ? webcastInputFrom(form) : undefined,
    title: field(form, "title"),
    summary: field(form, "summary"),
    content: field(form, "content"),
    format: field(form, "format") === "html" ? "html" : "markdown",
    language: field(form, "language"),
    tags: field(form, "tags")
      .split(/[\s,]+/)
      .filter(Boolean),
    imageUrl: field(form, "imageUrl") || undefined,
    imageAlt: field(form, "imageAlt") || undefined,
    images: keptImages(form),
    translations: Object.entries(translationValues(form)).map(([language, version]) => ({
      language,
      ...version,
    })),
  };
}

/** The type-specific fields of the form, sent back as typed. */
const DETAIL_FIELDS = [
  "eventStart",
  "eventEnd",
  "eventTimeZone",
  "eventPlace",
  "eventLat",
  "eventLon",
  "eventOnline",
  "eventRegistration",
  "eventOrganizer",
  "eventAudience",
  "resourceType",
  "resourceAuthors",
  "resourceYear",
  "resourceDocument",
  "practiceScope",
  "practiceCountries",
  "practiceAudiences",
  "practiceSkill",
  "practiceFunding",
  "practiceFunder",
  "practicePartners",
  "practicePeriodStart",
  "practicePeriodEnd",
  "practiceReach",
  "practiceResults",
  "practiceContact",
  "webcastLive",
  "webcastStart",
  "webcastTimeZone",
  "webcastStream",
  "webcastVideo",
  "webcastDuration",
  "webcastThumbnail",
] as const;

/** The form as it was sent, to show again with an error. */
export function formValues(form: Form): PostFormValues {
  return {
    type: typeOf(form),
    title: field(form, "title"),
    summary: field(form, "summary"),
    content: field(form, "content"),
    format: field(form, "format") === "html" ? "html" : "markdown",
    language: field(form, "language"),
    tags: field(form, "tags"),
    imageUrl: field(form, "imageUrl"),
    imageAlt: field(form, "imageAlt"),
    images: currentImages(form),
    translations: translationValues(form),
    ...Object.fromEntries(DETAIL_FIELDS.map((name) => [name, field(form, name)])),
  } as PostFormValues;
}

export function emptyValues(type: PostType, language: string): PostFormValues {
  return {
    type,
    title: "",
    summary: "",
    content: "",
    format: "markdown",
    language,
    tags: "",
    imageUrl: "",
    imageAlt: "",
    translations: {},
    ...Object.fromEntries(DETAIL_FIELDS.map((name) => [name, ""])),
    eventTimeZone: "Europe/Vilnius",
    webcastTimeZone: "Europe/Vilnius",
  } as PostFormValues;
}

/** An instant as a local date-time field shows it, in a zone (an event's, a schedule's). */
export function localInput(date: Date | null, timeZone: string): string {
  if (!date) return "";
  return Temporal.Instant.fromEpochMilliseconds(date.getTime())
    .toZonedDateTimeISO(timeZone)
    .toPlainDateTime()
    .toString({ smallestUnit: "minute" });
}

/** Seconds as the duration field shows them: 1:30:00. */
function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(seconds / 3600)}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** An item's fields in the edit form. */
export function itemValues(item: Item): PostFormValues {
  const event = item.details?.kind === "event" ? item.details : null;
  const resource = item.details?.kind === "resource" ? item.details : null;
  const practice = item.details?.kind === "practice" ? item.details : null;
  const webcast = item.details?.kind === "webcast" ? item.details : null;
  const zone = event?.timeZone ?? "UTC";
  return {
    type: postTypeOf(item),
    title: item.title,
    summary: writtenSummary(item),
    content: item.source ?? item.content,
    // What was typed is kept as the source; its format is not, so HTML is the safe reading.
    format: item.source && !/<[a-z]/i.test(item.source) ? "markdown" : "html",
    language: item.language ?? "lt",
    tags: item.tags.join(" "),
    // The images it has are listed to keep or remove; the URL field adds a new lead image.
    imageUrl: "",
    imageAlt: "",
    images: item.attachments.map((a) => ({ url: a.url, alt: a.name ?? "", previewUrl: a.previewUrl })),
    translations: Object.fromEntries(
      Object.entries(item.translations ?? {}).map(([language, version]) => [
        language,
        {
          title: version.title,
          summary: writtenSummary(item, { language, summary: version.summary }),
          content: version.source ?? version.content,
        },
      ]),
    ),
    eventStart: localInput(item.startsAt, zone),
    eventEnd: localInput(item.endsAt, zone),
    eventTimeZone: event?.timeZone ?? "",
    eventPlace: event?.location.place?.name ?? "",
    eventLat: event?.location.place?.latitude?.toString() ?? "",
    eventLon: event?.location.place?.longitude?.toString() ?? "",
    eventOnline: event?.location.online ?? "",
    eventRegistration: event?.registrationUrl ?? "",
    eventOrganizer: event?.organizer ?? "",
    eventAudience: event?.audience ?? "",
    resourceType: resource?.resourceType ?? "",
    resourceAuthors: resource?.authors.join("\n") ?? "",
    resourceYear: resource?.year?.toString() ?? "",
    resourceDocument: resource?.documentUrl ?? "",
    practiceScope: practice?.scope ?? "",
    practiceCountries: practice?.countries.join(" ") ?? "",
    practiceAudiences: practice?.audiences.join("\n") ?? "",
    practiceSkill: practice?.skillLevel ?? "",
    practiceFunding: practice?.fundingType ?? "",
    practiceFunder: practice?.funder ?? "",
    practicePartners: practice?.partners.join("\n") ?? "",
    practicePeriodStart: practice?.periodStart ?? "",
    practicePeriodEnd: practice?.periodEnd ?? "",
    practiceReach: practice?.reach ?? "",
    practiceResults: practice?.results ?? "",
    practiceContact: practice?.contact ?? "",
    webcastLive: webcast?.live ? "1" : "",
    webcastStart: webcast ? localInput(item.startsAt, webcast.timeZone ?? "UTC") : "",
    webcastTimeZone: webcast?.timeZone ?? "",
    webcastStream: webcast?.streamUrl ?? "",
    webcastVideo: webcast?.videoUrl ?? "",
    webcastDuration: webcast?.durationSeconds ? clock(webcast.durationSeconds) : "",
    webcastThumbnail: webcast?.thumbnailUrl ?? "",
  };
}
