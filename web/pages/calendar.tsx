import type { Account } from "../../server/domain/accounts.ts";
import type { SharedCalendarFilter } from "../../server/domain/calendar.ts";
import { scheduleOf } from "../../server/domain/calendar.ts";
import { formatEventPlace, formatEventTime } from "../../server/domain/events.ts";
import type { Item } from "../../server/domain/items.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** A month as `2026-12`. */
export interface Month {
  year: number;
  month: number;
}

export const monthKey = (m: Month) => `${m.year}-${String(m.month).padStart(2, "0")}`;

export function shiftMonth(m: Month, by: number): Month {
  const index = m.year * 12 + (m.month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * Where an event's page is: ours for our own, the source's for one a hub received (the hub has
 * no page at the path of the library's URL).
 */
function eventHref(item: Item): string | undefined {
  return item.accountId ? new URL(item.iri).pathname : safeHref(item.url ?? item.iri);
}

/** The calendar day (YYYY-MM-DD) an event starts on, in the zone it was planned in. */
export function startDay(item: Item): string {
  const zone = scheduleOf(item)?.timeZone ?? "UTC";
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, dateStyle: "short" }).format(item.startsAt ?? 0);
}

function EventLine(props: { item: Item; locale: Locale }) {
  const { item, locale } = props;
  const schedule = scheduleOf(item);
  if (!schedule || !item.startsAt) return null;
  return (
    <li class="h-event">
      <a class="p-name u-url" href={eventHref(item)}>
        {item.title}
      </a>
      <div class="meta">
        <time class="dt-start" datetime={item.startsAt.toISOString()}>
          {formatEventTime(item.startsAt, item.endsAt, schedule.timeZone, locale)}
        </time>{" "}
        · <span class="p-location">{formatEventPlace(schedule.location, locale)}</span>
      </div>
    </li>
  );
}

/** /users/:username/calendar: a month grid (Monday first) and the upcoming events as a list. */
export function CalendarPage(props: {
  account: Account;
  month: Month;
  monthEvents: Item[];
  upcoming: Item[];
  t: Translate;
  locale: Locale;
  /** On a hub's account: the shared calendar's filters (events received from its sources too). */
  shared?: SharedCalendarFilter;
}) {
  const { account, month, t, locale } = props;
  const filters = new URLSearchParams(
    Object.entries(props.shared ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
  ).toString();
  const base = `/users/${account.username}/calendar`;
  // Month links keep the shared calendar's filters, and the filter form keeps the month.
  const monthHref = (m: Month) => {
    const query = new URLSearchParams(filters);
    query.set("month", monthKey(m));
    return `${base}?${query}`;
  };
  const first = new Date(Date.UTC(month.year, month.month - 1, 1));
  const days = new Date(Date.UTC(month.year, month.month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const byDay = new Map<string, Item[]>();
  for (const item of props.monthEvents) {
    const day = startDay(item);
    byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }
  const cells: (number | null)[] = [
    ...Array(lead).fill(null),
    ...Array.from({ length: days }, (_, i) => i + 1),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  const title = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    first,
  );
  return (
    <>
      <h1>{t("calendar.title", { name: account.name })}</h1>
      <p>
        <a href={`${base}.ics${filters ? `?${filters}` : ""}`} type="text/calendar">
          {t("calendar.subscribe")}
        </a>
      </p>
      {props.shared && (
        <form method="get" action={base} class="filters" aria-label={t("calendar.sharedFilters")}>
          <input type="hidden" name="month" value={monthKey(month)} />
          <label>
            {t("directory.country")}
            <input
              name="country"
              size={2}
              maxlength={2}
              value={props.shared.country ?? ""}
              placeholder="LT"
            />
          </label>
          <label>
            {t("calendar.mode")}
            <select name="mode">
              <option value="">{t("calendar.modeAny")}</option>
              <option value="online" selected={props.shared.mode === "online"}>
                {t("calendar.modeOnline")}
              </option>
              <option value="onsite" selected={props.shared.mode === "onsite"}>
                {t("calendar.modeOnsite")}
              </option>
            </select>
          </label>
          <label>
            {t("calendar.language")}
            <input name="language" size={3} value={props.shared.language ?? ""} placeholder="lt" />
          </label>
          <button type="submit">{t("directory.apply")}</button>
        </form>
      )}
      <section aria-labelledby="month-title">
        <h2 id="month-title">{title}</h2>
        <nav class="pager" aria-label={t("calendar.monthView")}>
          <a href={monthHref(shiftMonth(month, -1))} rel="prev">
            {t("calendar.previous")}
          </a>{" "}
          <a href={monthHref(shiftMonth(month, 1))} rel="next">
            {t("calendar.next")}
          </a>
        </nav>
        <table class="month">
          <thead>
            <tr>
              {Array.from({ length: 7 }, (_, i) => (
                <th scope="col">{weekday.format(new Date(Date.UTC(2024, 0, 1 + i)))}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr>
                {week.map((day) => {
                  if (day == null) return <td class="empty" />;
                  const key = `${monthKey(month)}-${String(day).padStart(2, "0")}`;
                  const events = byDay.get(key) ?? [];
                  return (
                    <td class={events.length > 0 ? "has-events" : undefined}>
                      <span class="day">{day}</span>
                      {events.length > 0 && (
                        <ul>
                          {events.map((item) => (
                            <li>
                              <a href={eventHref(item)}>{item.title}</a>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {props.monthEvents.length === 0 && <p class="meta">{t("calendar.none")}</p>}
      </section>
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t("calendar.upcoming")}</h2>
        {props.upcoming.length === 0 ? (
          <p class="meta">{t("calendar.noneUpcoming")}</p>
        ) : (
          <ul class="events">
            {props.upcoming.map((item) => (
              <EventLine item={item} locale={locale} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
