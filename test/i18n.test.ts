import { describe, expect, it } from "vitest";
import { en } from "../web/i18n/en.ts";
import { lt } from "../web/i18n/lt.ts";
import { lv } from "../web/i18n/lv.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
        if (placeholders(text).join() !== placeholders(english).join())
          problems.push(
            `${key}: placeholders ${placeholders(text).join()} instead of ${placeholders(english).join()}`,
          );
      }
      expect(problems).toEqual([]);
    });
  }
});
