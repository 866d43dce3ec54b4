import { describe, expect, it } from "vitest";
import { en } from "../web/i18n/en.ts";
import { translator } from "../web/i18n/index.ts";
import { lt } from "../web/i18n/lt.ts";
import { lv } from "../web/i18n/lv.ts";

/** `{name}` and `{name, plural, …}` alike name a placeholder. */
const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

/** Issue 11: no key missing in any language, none left empty, none with other placeholders. */
describe("interface strings in en, lt and lv", () => {
  for (const [name, catalog] of [
    ["lt", lt],
    ["lv", lv],
  ] as const) {
    it(`${name} has exactly English's keys, each with text and the same {placeholders}`, () => {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
      const problems: string[] = [];
      for (const [key, english] of Object.entries(en)) {
        const text = (catalog as Record<string, string>)[key] ?? "";
        if (text.trim() === "") problems.push(`${key}: empty`);
        if (/, plural,/.test(text) && !/other \{/.test(text))
          problems.push(`${key}: a plural without "other"`);
        if (placeholders(text).join() !== placeholders(english).join())
          problems.push(
            `${key}: placeholders ${placeholders(text).join()} instead of ${placeholders(english).join()}`,
          );
      }
      expect(problems).toEqual([]);
    });
  }

  it("writes numbers the locale's way and picks English plural forms", () => {
    const english = translator("en");
    expect(english("profile.followers", { count: 1 })).toBe("1 follower");
    expect(english("profile.followers", { count: 2 })).toBe("2 followers");
    expect(english("search.count", { count: 12345 })).toBe("12,345 results");
    const lithuanian = translator("lt");
    expect(lithuanian("search.count", { count: 12345 })).toBe(
      `Rezultatų: ${new Intl.NumberFormat("lt").format(12345)}`,
    );
    expect(new Intl.NumberFormat("lt").format(12345)).not.toBe("12,345");
  });
});
