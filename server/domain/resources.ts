import { RESOURCE_TYPES, type ResourceDetails, type ResourceType } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField, type SummaryLanguage, summaryLanguage } from "./fields.ts";

/** A research or methodology resource as the editor's form and the CLI give it. */
export interface ResourceInput {
  resourceType: string;
  /** One per author; a single string may separate them with semicolons. */
  authors: string[];
  year?: number;
  documentUrl?: string;
}

const MAX_AUTHORS = 30;
const MAX_AUTHOR = 200;

/** Validates a resource's fields; each error names the field at fault. */
export function prepareResource(input: ResourceInput, now = new Date()): ResourceDetails {
  const resourceType = input.resourceType?.trim() as ResourceType;
  if (!RESOURCE_TYPES.includes(resourceType)) {
    throw new ValidationError("resource-type", `must be one of ${RESOURCE_TYPES.join(", ")}`);
  }
  const authors = input.authors
    .flatMap((a) => a.split(";"))
    .map((a) => a.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  if (authors.length > MAX_AUTHORS) throw new ValidationError("authors", `at most ${MAX_AUTHORS}`);
  const tooLong = authors.find((a) => a.length > MAX_AUTHOR);
  if (tooLong)
    throw new ValidationError(
      "authors",
      `"${tooLong.slice(0, 40)}…" is longer than ${MAX_AUTHOR} characters`,
    );
  const details: ResourceDetails = { kind: "resource", resourceType, authors };
  if (input.year != null) {
    if (!Number.isInteger(input.year) || input.year < 1500 || input.year > now.getUTCFullYear() + 1) {
      throw new ValidationError("year", `must be a year between 1500 and ${now.getUTCFullYear() + 1}`);
    }
    details.year = input.year;
  }
  const documentUrl = httpUrlField("document", input.documentUrl);
  if (documentUrl) details.documentUrl = documentUrl;
  return details;
}

/** What kind of resource, in the languages we write summaries in. */
const TYPE_NAMES: Record<SummaryLanguage, Record<ResourceType, string>> = {
  en: {
    research: "Research",
    "methodological-guideline": "Methodological guideline",
    report: "Report",
    presentation: "Presentation",
  },
  lt: {
    research: "Tyrimas",
    "methodological-guideline": "Metodinės rekomendacijos",
    report: "Ataskaita",
    presentation: "Pristatymas",
  },
  lv: {
    research: "Pētījums",
    "methodological-guideline": "Metodiskie norādījumi",
    report: "Pārskats",
    presentation: "Prezentācija",
  },
};

export function resourceTypeName(type: ResourceType, language?: string | null): string {
  return TYPE_NAMES[summaryLanguage(language)][type];
}

/** The first line of a resource's summary: "Methodological guideline · 2025 · A. Author, B. Author". */
export function resourceFacts(details: ResourceDetails, language?: string | null): string {
  return [
    resourceTypeName(details.resourceType, language),
    details.year?.toString(),
    details.authors.join(", "),
  ]
    .filter(Boolean)
    .join(" · ");
}
