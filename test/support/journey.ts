import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { createAccount } from "../../server/domain/accounts.ts";
import { createUser, startSession } from "../../server/domain/users.ts";
import { SESSION_COOKIE } from "../../server/http/session.ts";
import { axeViolations } from "./axe.ts";
import { accessibilityProblems, launchChromium } from "./browser.ts";
import type { TestDatabase } from "./db.ts";
import { type InProcessInstance, startInProcess } from "./instance.ts";
import { waitFor } from "./ports.ts";

/** Issue 11's journey: a fresh library, a hub with a curator, and the browser that visits both. */
export interface Journey {
  /** A library instance as installed: no admin, no account (its first visit leads to setup). */
  library: InProcessInstance;
  /** A hub (INSTANCE_ROLE=hub) with its @hub account, an admin and a signed-in curator. */
  hub: InProcessInstance;
  browser: Browser;
  /**
   * A new browser context (cookies of its own). Both instances are on 127.0.0.1, where cookies do
   * not tell ports apart: each instance gets its own contexts so their sessions never meet.
   */
  context(options?: { signedInOn?: InProcessInstance; sessionUser?: string }): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/**
 * Starts the library, the hub and Chromium; whatever did start is stopped again when another
 * part fails, and stop() ends all of it.
 */
export async function startJourney(): Promise<Journey> {
  const started = await Promise.allSettled([
    startInProcess(),
    startInProcess({ instanceRole: "hub" }),
    launchChromium(),
  ]);
  const [libraryStart, hubStart, browserStart] = started;
  const library = libraryStart?.status === "fulfilled" ? libraryStart.value : undefined;
  const hub = hubStart?.status === "fulfilled" ? hubStart.value : undefined;
  const browser = browserStart?.status === "fulfilled" ? browserStart.value : undefined;
  const contexts: BrowserContext[] = [];
  const stop = async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await Promise.all([library?.stop(), hub?.stop()]);
  };
  if (!library || !hub || !browser) {
    await stop();
    const failure = started.find((s) => s.status === "rejected");
    throw failure?.status === "rejected" ? failure.reason : new Error("the journey did not start");
  }
  let curatorId: string;
  try {
    // The hub's account is its oldest; an admin exists (else every page leads to setup).
    await createAccount(hub.db, { username: "hub", name: "Baltic hub" });
    await createUser(hub.db, { email: "admin@hub.example", password: "long-password-1", role: "admin" });
    curatorId = (
      await createUser(hub.db, { email: "curator@hub.example", password: "long-password-1", role: "curator" })
    ).id;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    library,
    hub,
    browser,
    async context(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
      contexts.push(context);
      if (options.signedInOn) {
        const session = await startSession(options.signedInOn.db, options.sessionUser ?? curatorId);
        await context.addCookies([
          { name: SESSION_COOKIE, value: session, url: options.signedInOn.url.origin },
        ]);
      }
      return context;
    },
    stop,
  };
}

/** The page's basic checks and axe-core's serious and critical violations: none of either. */
export async function expectAccessible(page: Page): Promise<void> {
  const where = new URL(page.url());
  const label = `${where.port} ${where.pathname}${where.search}`;
  expect(await accessibilityProblems(page), label).toEqual([]);
  expect(await axeViolations(page), label).toEqual([]);
}

/** Waits until the hub has stored the item with this IRI (delivered or backfilled). */
export function waitForItem(db: TestDatabase, iri: string): Promise<string> {
  return waitFor(
    async () => {
      const [row] = await db.sql<{ id: string }[]>`SELECT id FROM items WHERE iri = ${iri}`;
      return row?.id;
    },
    { what: `the hub to receive ${iri}`, timeoutMs: 60_000 },
  );
}

/**
 * A start three weeks ahead at 18:00 (the event form's local time), the day as the form takes it
 * and its month as the calendar's `?month=` names it.
 */
export function eventStart(now = new Date()): { local: string; month: string; day: number } {
  const day = new Date(now.getTime() + 21 * 86_400_000).toISOString().slice(0, 10);
  return { local: `${day}T18:00`, month: day.slice(0, 7), day: Number(day.slice(8, 10)) };
}
