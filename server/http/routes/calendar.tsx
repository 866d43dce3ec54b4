import { Hono } from "hono";
import { CalendarPage, type Month, monthKey, shiftMonth, startDay } from "../../../web/pages/calendar.tsx";
import { findAccount } from "../../domain/accounts.ts";
import { eventsBetween, feedEvents, upcomingEvents } from "../../domain/calendar.ts";
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

calendarRoutes.get("/users/:username/calendar.ics", async (c) => {
  const { db, config } = c.get("deps");
  const account = await findAccount(db, c.req.param("username"));
  if (!account) return c.text("Not found", 404);
  const events = await feedEvents(db, account.id);
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
    eventsBetween(db, account.id, from, to),
    upcomingEvents(db, account.id),
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
      t={t}
      locale={c.get("locale")}
    />,
  );
});
