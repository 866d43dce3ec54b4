import { en, type MessageKey } from "./en.ts";
import { lt } from "./lt.ts";
import { lv } from "./lv.ts";

export type Locale = "en" | "lt" | "lv";
export const LOCALES: readonly Locale[] = ["en", "lt", "lv"];
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", lt: "Lietuvių", lv: "Latviešu" };

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, lt, lv };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** `{count, plural, one {# item} other {# items}}`: the form Intl.PluralRules picks, # the number. */
const PLURAL = /\{(\w+), plural,((?:\s*\w+ \{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(\w+) \{([^{}]*)\}/g;

/**
 * Messages with `{name}` placeholders and, where a number's wording changes with it (English
 * "1 follower", "2 followers"), ICU-style plural forms; numbers are written the locale's way
 * (10,000 / 10 000).
 */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  const show = (value: string | number) => (typeof value === "number" ? number.format(value) : value);
  return (key, params) =>
    catalog[key]
      .replace(PLURAL, (match, name: string, forms: string) => {
        const value = params?.[name];
        if (typeof value !== "number") return match;
        const byForm = new Map([...forms.matchAll(PLURAL_FORM)].map((m) => [m[1], m[2] ?? ""]));
        const text = byForm.get(plural.select(value)) ?? byForm.get("other") ?? "";
        return text.replaceAll("#", show(value));
      })
      .replace(/\{(\w+)\}/g, (match, name: string) => (params?.[name] != null ? show(params[name]) : match));
}

/** The user's choice (?lang= or cookie) first, then the browser's Accept-Language, then English. */
export function negotiateLocale(explicit: string | undefined, acceptLanguage: string | undefined): Locale {
  if (explicit && (LOCALES as readonly string[]).includes(explicit)) return explicit as Locale;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { lang: (tag ?? "").toLowerCase().split("-")[0] ?? "", q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if ((LOCALES as readonly string[]).includes(lang)) return lang as Locale;
  return "en";
}

export function formatDate(locale: Locale, date: Date, timeZone = "Europe/Vilnius"): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone,
    // Another zone than the reader's default is named ("10:00 GMT+2").
    ...(timeZone !== "Europe/Vilnius" && { timeZoneName: "short" }),
  }).format(date);
}

export type { MessageKey };
