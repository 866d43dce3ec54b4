import {
  FUNDING_TYPES,
  type FundingType,
  PRACTICE_SCOPES,
  type PracticeDetails,
  type PracticeScope,
  SKILL_LEVELS,
  type SkillLevel,
} from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { type SummaryLanguage, summaryLanguage, textField } from "./fields.ts";

/** A good-practice record as the editor's form and the CLI give it (seed 001's metadata). */
export interface PracticeInput {
  scope: string;
  /** One per audience; a single string may separate them with semicolons. */
  audiences: string[];
  skillLevel?: string;
  /** Country codes (LT, LV…), separated by spaces or commas. */
  countries: string[];
  fundingType?: string;
  funder?: string;
  partners: string[];
  periodStart?: string;
  periodEnd?: string;
  reach?: string;
  results?: string;
  contact?: string;
}

const MAX_LIST = 20;
const MAX_LINE = 200;
const MAX_RESULTS = 2000;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[]) {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!(allowed as readonly string[]).includes(trimmed)) {
    throw new ValidationError(field, `must be one of ${allowed.join(", ")}`);
  }
  return trimmed as T;
}

/** A list typed one per line or separated by semicolons; each entry one line of text. */
export function listField(field: string, values: string[], separator = /[;\n]/): string[] {
  const entries = values
    .flatMap((v) => v.split(separator))
    .map((v) => textField(field, v, MAX_LINE))
    .filter((v): v is string => v != null);
  if (entries.length > MAX_LIST) throw new ValidationError(field, `at most ${MAX_LIST} entries`);
  return [...new Set(entries)];
}

function periodField(field: string, value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!PERIOD.test(trimmed) || Number.isNaN(new Date(trimmed).getTime())) {
    throw new ValidationError(field, `"${trimmed}" is not a month or a date such as 2025-02 or 2025-02-15`);
  }
  return trimmed;
}

/** Whether `code` is an ISO 3166-1 alpha-2 region Intl knows by name. */
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = new Intl.DisplayNames("en", { type: "region", fallback: "none" }).of(code);
  return name != null && name !== code;
}

/** Validates a good-practice record's metadata; each error names the field at fault. */
export function preparePractice(input: PracticeInput): PracticeDetails {
  const scope = oneOf<PracticeScope>("scope", input.scope, PRACTICE_SCOPES);
  if (!scope) throw new ValidationError("scope", `is required: one of ${PRACTICE_SCOPES.join(", ")}`);
  const countries = listField(
    "countries",
    input.countries.map((c) => c.toUpperCase()),
    /[\s,;]+/,
  );
  const unknown = countries.find((code) => !isCountryCode(code));
  if (unknown) throw new ValidationError("countries", `"${unknown}" is not a two-letter country code`);
  const details: PracticeDetails = {
    kind: "practice",
    scope,
    audiences: listField("audiences", input.audiences),
    countries,
    partners: listField("partners", input.partners),
  };
  const skillLevel = oneOf<SkillLevel>("skill-level", input.skillLevel, SKILL_LEVELS);
  if (skillLevel) details.skillLevel = skillLevel;
  const fundingType = oneOf<FundingType>("funding", input.fundingType, FUNDING_TYPES);
  if (fundingType) details.fundingType = fundingType;
  const optionalText: [keyof PracticeDetails & keyof PracticeInput, string, number][] = [
    ["funder", "funder", MAX_LINE],
    ["reach", "reach", MAX_LINE],
    ["contact", "contact", MAX_LINE],
  ];
  for (const [key, field, max] of optionalText) {
    const value = textField(field, input[key] as string | undefined, max);
    if (value) (details as unknown as Record<string, string>)[key] = value;
  }
  const results = input.results?.trim();
  if (results) {
    if (results.length > MAX_RESULTS)
      throw new ValidationError("results", `must be at most ${MAX_RESULTS} characters`);
    details.results = results;
  }
  const periodStart = periodField("period-start", input.periodStart);
  const periodEnd = periodField("period-end", input.periodEnd);
  if (periodStart && periodEnd && periodEnd < periodStart) {
    throw new ValidationError("period-end", "must not be before the period's start");
  }
  if (periodStart) details.periodStart = periodStart;
  if (periodEnd) details.periodEnd = periodEnd;
  return details;
}

interface PracticeWords {
  practice: string;
  scope: Record<PracticeScope, string>;
  skill: Record<SkillLevel, string>;
  funding: Record<FundingType, string>;
  for: string;
}

const WORDS: Record<SummaryLanguage, PracticeWords> = {
  en: {
    practice: "Good practice",
    scope: { local: "Local", regional: "Regional", national: "National", international: "International" },
    skill: {
      basic: "Basic",
      intermediate: "Intermediate",
      advanced: "Advanced",
      specialised: "Highly specialised",
    },
    funding: {
      public: "Public funding",
      private: "Private funding",
      mixed: "Public and private funding",
      none: "No funding",
    },
    for: "For",
  },
  lt: {
    practice: "Geroji patirtis",
    scope: { local: "Vietinė", regional: "Regioninė", national: "Nacionalinė", international: "Tarptautinė" },
    skill: {
      basic: "Pradinis",
      intermediate: "Vidutinis",
      advanced: "Aukštesnysis",
      specialised: "Specializuotas",
    },
    funding: {
      public: "Viešasis finansavimas",
      private: "Privatus finansavimas",
      mixed: "Viešasis ir privatus finansavimas",
      none: "Be finansavimo",
    },
    for: "Kam",
  },
  lv: {
    practice: "Labā prakse",
    scope: { local: "Vietēja", regional: "Reģionāla", national: "Nacionāla", international: "Starptautiska" },
    skill: { basic: "Pamata", intermediate: "Vidējs", advanced: "Augsts", specialised: "Specializēts" },
    funding: {
      public: "Publisks finansējums",
      private: "Privāts finansējums",
      mixed: "Publisks un privāts finansējums",
      none: "Bez finansējuma",
    },
    for: "Kam",
  },
};

export function practiceWords(language?: string | null): PracticeWords {
  return WORDS[summaryLanguage(language)];
}

/** A country code by its name in the item's language ("LT" → "Lietuva"). */
export function countryName(code: string, language?: string | null): string {
  return new Intl.DisplayNames([summaryLanguage(language)], { type: "region" }).of(code) ?? code;
}

/** "2025-02 – 2025-12", or the one end given. */
export function formatPeriod(details: Pick<PracticeDetails, "periodStart" | "periodEnd">): string {
  const { periodStart, periodEnd } = details;
  if (periodStart && periodEnd) return `${periodStart} – ${periodEnd}`;
  return periodStart ? `${periodStart} –` : periodEnd ? `– ${periodEnd}` : "";
}

/**
 * The first line of a good practice's summary, its key metadata for Mastodon (which shows only
 * the summary): "Good practice · International · Latvia, Italy · Public funding · For: librarians".
 */
export function practiceFacts(details: PracticeDetails, language?: string | null): string {
  const words = practiceWords(language);
  return [
    words.practice,
    words.scope[details.scope],
    details.countries
      .slice(0, 4)
      .map((c) => countryName(c, language))
      .join(", "),
    details.fundingType ? words.funding[details.fundingType] : undefined,
    formatPeriod(details),
    details.audiences.length > 0 ? `${words.for}: ${details.audiences.slice(0, 3).join(", ")}` : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
}
