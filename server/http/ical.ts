import ical, { ICalEventStatus } from "ical-generator";
import type { Account } from "../domain/accounts.ts";
import { scheduleOf } from "../domain/calendar.ts";
import { formatEventPlace } from "../domain/events.ts";
import type { Item } from "../domain/items.ts";
import { writtenSummary } from "../domain/posts.ts";

/**
 * A library's events as an iCalendar feed (RFC 5545), for calendar apps to subscribe to. Times are
 * written in UTC, which every client converts to its own zone; the planned zone is in the text.
 */
export function eventsCalendar(account: Account, events: Item[], origin: URL): string {
  const calendar = ical({
    name: account.name,
    description: account.summary || undefined,
    prodId: { company: origin.host, product: "baltic-libraries", language: "EN" },
    url: new URL(`/users/${account.username}/calendar`, origin).href,
    // Calendar apps poll a subscription; once an hour keeps them current without hammering us.
    ttl: 3600,
  });
  for (const item of events) {
    const schedule = scheduleOf(item);
    if (!schedule || !item.startsAt) continue;
    const { location } = schedule;
    const { registrationUrl, organizer, audience } = item.details?.kind === "event" ? item.details : {};
    const lines = [
      writtenSummary(item),
      organizer ? `Organizer: ${organizer}` : "",
      audience ? `For: ${audience}` : "",
      location.online ? `Online: ${location.online}` : "",
      registrationUrl ? `Registration: ${registrationUrl}` : "",
      item.url ?? item.iri,
    ].filter(Boolean);
    calendar.createEvent({
      // The object's IRI is unique and stable: updates replace the event in subscribers' apps.
      id: item.iri,
      start: item.startsAt,
      // RFC 5545: without DTEND a timed event takes no time; an hour is what apps show instead.
      end: item.endsAt ?? new Date(item.startsAt.getTime() + 3600_000),
      stamp: item.updated ?? item.published,
      created: item.published,
      lastModified: item.updated ?? item.published,
      summary: item.title,
      description: lines.join("\n\n"),
      location: location.place
        ? {
            title: location.place.name,
            ...(location.place.latitude != null &&
              location.place.longitude != null && {
                geo: { lat: location.place.latitude, lon: location.place.longitude },
              }),
          }
        : formatEventPlace(location, item.language),
      url: item.url ?? item.iri,
      status: ICalEventStatus.CONFIRMED,
      categories: item.tags.map((name) => ({ name })),
    });
  }
  return calendar.toString();
}
