import { franc } from "franc";
import { iso6393To1 } from "iso-639-3";

/**
 * franc names individual languages (ISO 639-3); where ISO 639-1 has only their macrolanguage,
 * the two-letter code is the macrolanguage's: Standard Latvian `lvs` is `lv`, Estonian `ekk` `et`.
 */
const MACROLANGUAGE_MEMBERS: Record<string, string> = {
  lvs: "lv",
  ekk: "et",
  cmn: "zh",
  arb: "ar",
  pes: "fa",
  zsm: "ms",
  swh: "sw",
  uzn: "uz",
  azj: "az",
  khk: "mn",
  npi: "ne",
  ory: "or",
  plt: "mg",
  ydd: "yi",
};

/**
 * The languages we tell apart (ISO 639-3, as franc names them): the Baltic states', their
 * neighbours' and the partners' across Europe, and the world's largest. Comparing a text with
 * franc's ~400 models was a tenth of the hub's CPU per received post (bench:ingest); with these
 * it is a twentieth of that, and a post in another language is stored untagged, not mislabelled
 * as a rare language whose trigrams happen to fit best.
 */
const LANGUAGES = [
  ["lit", "lvs", "ekk", "eng", "rus", "pol", "deu", "fin", "swe", "nob", "dan", "ukr", "bel"],
  ["fra", "spa", "ita", "por", "nld", "ces", "slk", "hun", "ron", "bul", "hrv", "srp", "slv"],
  ["ell", "tur", "cat", "cmn", "jpn", "kor", "arb", "hin", "heb", "vie", "ind"],
].flat();

/** Text shorter than this says too little to tell its language. */
const MIN_LENGTH = 20;

/**
 * The language a text is written in, as a two-letter code (lt, lv, en…), detected offline with
 * franc's trigram model; null when the text is too short or too mixed to tell.
 */
export function detectLanguage(text: string): string | null {
  const sample = text.replace(/\s+/g, " ").trim().slice(0, 1000);
  if (sample.length < MIN_LENGTH) return null;
  const code = franc(sample, { minLength: MIN_LENGTH, only: LANGUAGES });
  if (code === "und") return null;
  return MACROLANGUAGE_MEMBERS[code] ?? iso6393To1[code] ?? null;
}
