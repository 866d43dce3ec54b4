import type { ItemDetails } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { type EventInput, eventFacts, prepareEvent } from "./events.ts";
import { type PracticeInput, practiceFacts, preparePractice } from "./practices.ts";
import { prepareResource, type ResourceInput, resourceFacts } from "./resources.ts";
import { prepareWebcast, type WebcastInput, webcastFacts } from "./webcasts.ts";

/** The type-specific input of a post: one of these, matching its type. */
export interface DetailsInput {
  event?: EventInput;
  resource?: ResourceInput;
  practice?: PracticeInput;
  webcast?: WebcastInput;
}

/** A post's type-specific fields as stored: details, and the times calendars sort by. */
export interface PreparedDetails {
  details: ItemDetails | null;
  startsAt: Date | null;
  endsAt: Date | null;
}

const NONE: PreparedDetails = { details: null, startsAt: null, endsAt: null };

/** Validates the fields of the post's type; each error names the field at fault. */
export function prepareDetails(type: string, input: DetailsInput): PreparedDetails {
  switch (type) {
    case "event":
      if (!input.event) throw new ValidationError("start", "an event needs its start, time zone and place");
      return prepareEvent(input.event);
    case "resource":
      if (!input.resource) throw new ValidationError("resource-type", "is required");
      return { ...NONE, details: prepareResource(input.resource) };
    case "practice":
      if (!input.practice) throw new ValidationError("scope", "is required");
      return { ...NONE, details: preparePractice(input.practice) };
    case "webcast":
      if (!input.webcast) throw new ValidationError("video", "a webcast needs its video or its start");
      return prepareWebcast(input.webcast);
    default:
      return NONE;
  }
}

/**
 * The facts that lead the summary, since Mastodon shows only the summary of an Article, Event
 * or Video: an event's date, time and place, a webcast's date and duration, a resource's kind,
 * year and authors, a good practice's metadata. "" for an article.
 */
export function detailsFacts(prepared: PreparedDetails, language: string | null): string {
  const { details, startsAt, endsAt } = prepared;
  switch (details?.kind) {
    case "event":
      return startsAt ? eventFacts({ details, startsAt, endsAt }, language) : "";
    case "resource":
      return resourceFacts(details, language);
    case "practice":
      return practiceFacts(details, language);
    case "webcast":
      return webcastFacts({ details, startsAt, endsAt }, language);
    default:
      return "";
  }
}
