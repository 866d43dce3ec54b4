import { Hono } from "hono";
import { CalendarPage, type Month, monthKey, shiftMonth, startDay } from "../../../web/pages/calendar.tsx";
import type { Db } from "../../db/client.ts";
import type { Account } from "../../domain/accounts.ts";
import { findAccount } from "../../domain/accounts.ts";
import {
  eventsBetween,
  feedEvents,
  parseSharedFilter,
  type SharedCalendarFilter,
  upcomingEvents,
} from "../../domain/calendar.ts";
import { ValidationError } from "../../domain/errors.ts";
import { hubAccount } from "../../domain/hub-sources.ts";
import type { AppEnv } from "../env.ts";
import { feedLinks } from "../feeds.ts";
import { eventsCalendar } from "../ical.ts";
import { render } from "../render.tsx";

/** A library's calendar: a page (month and list) and an iCal feed. */
export const calendarRoutes = new Hono<AppEnv>();

function parseMonth(value: string | undefined): Month | null {
  const match = /^(\d{4})-(\d{2})$/.exec(value ?? "");
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1900 && year <= 9999 && month >= 1 && month <= 12 ? { year, month } : null;
}

/**
 * On a hub, the hub's account's calendar is the shared one: its filters from the query string
 * (a bad one throws a ValidationError naming it). Undefined for any other calendar.
 */
async function sharedFilter(
  db: Db,
  isHub: boolean,
  account: Account,
  query: Record<string, string>,
): Promise<SharedCalendarFilter | undefined> {
  if (!isHub || (await hubAccount(db)).id !== account.id) return undefined;
  return parseSharedFilter(query);
}

calendarRoutes.get("/users/:username/calendar.ics", async (c) => {
  const { db, config } = c.get("deps");
  const account = await findAccount(db, c.req.param("username"));
  if (!account) return c.text("Not found", 404);
  let shared: SharedCalendarFilter | undefined;
  try {
    shared = await sharedFilter(db, config.instanceRole === "hub", account, c.req.query());
  } catch (error) {
    if (error instanceof ValidationError) return c.text(error.message, 400);
    throw error;
  }
  const events = await feedEvents(db, account.id, new Date(), shared);
  return c.body(eventsCalendar(account, events, config.publicUrl), 200, {
    "Content-Type": "text/calendar; charset=utf-8",
    "Content-Disposition": `inline; filename="${account.username}.ics"`,
    "Cache-Control": "public, max-age=300",
  });
});

calendarRoutes.get("/users/:username/calendar", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const account = await findAccount(db, c.req.param("username"));
  if (!account) return render(c, { title: t("error.notFound") }, <h1>{t("error.notFound")}</h1>, 404);
  let shared: SharedCalendarFilter | undefined;
  try {
    shared = await sharedFilter(db, config.instanceRole === "hub", account, c.req.query());
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return render(
      c,
      { title: t("calendar.title", { name: account.name }) },
      <p role="alert">{error.message}</p>,
      400,
    );
  }
  const now = new Date();
  // A month that is not one (a mangled link) shows the current month.
  const month = parseMonth(c.req.query("month")) ?? {
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
  };
  // A day's margin on each side: an event's calendar day depends on its time zone.
  const from = new Date(Date.UTC(month.year, month.month - 1, 1) - 86_400_000);
  const next = shiftMonth(month, 1);
  const to = new Date(Date.UTC(next.year, next.month - 1, 1) + 86_400_000);
  const [inRange, upcoming] = await Promise.all([
    eventsBetween(db, account.id, from, to, shared),
    upcomingEvents(db, account.id, 50, now, shared),
  ]);
  const key = monthKey(month);
  const monthEvents = inRange.filter((item) => startDay(item).startsWith(key));
  const url = new URL(`/users/${account.username}/calendar`, config.publicUrl).href;
  return render(
    c,
    {
      title: t("calendar.title", { name: account.name }),
      description: account.summary,
      url,
      image: account.iconUrl ?? undefined,
      feeds: {
        title: t("calendar.title", { name: account.name }),
        ...feedLinks(config.publicUrl, account.username, "event"),
        ical: new URL(`/users/${account.username}/calendar.ics`, config.publicUrl).href,
      },
    },
    <CalendarPage
      account={account}
      month={month}
      monthEvents={monthEvents}
      upcoming={upcoming}
      shared={shared}
      t={t}
      locale={c.get("locale")}
    />,
  );
});
