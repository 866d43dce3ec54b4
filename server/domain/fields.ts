import { httpUrlOrNull } from "../ingest/urls.ts";
import { ValidationError } from "./errors.ts";

/**
 * What editors type into forms and the CLI, checked the same way everywhere: each error names
 * the field at fault. Empty values are `undefined` (the field was left out).
 */

/** An http(s) URL (the one check of ingest/urls.ts), normalized. */
export function httpUrlField(field: string, value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const url = httpUrlOrNull(trimmed);
  if (!url) throw new ValidationError(field, `"${trimmed}" is not an http(s) URL`);
  return url;
}

/** One line of text (runs of white space become one space), at most `max` characters. */
export function textField(field: string, value: string | undefined, max: number): string | undefined {
  const trimmed = value?.replace(/\s+/g, " ").trim();
  if (!trimmed) return undefined;
  if (trimmed.length > max) throw new ValidationError(field, `must be at most ${max} characters`);
  return trimmed;
}

/** The languages we write generated summary text in (dates, "online", resource kinds). */
export const SUMMARY_LANGUAGES = ["en", "lt", "lv"] as const;
export type SummaryLanguage = (typeof SUMMARY_LANGUAGES)[number];

/** An item's language as one we write summaries in; others get English. */
export function summaryLanguage(language: string | null | undefined): SummaryLanguage {
  const base = (language ?? "en").split("-")[0] ?? "en";
  return (SUMMARY_LANGUAGES as readonly string[]).includes(base) ? (base as SummaryLanguage) : "en";
}
