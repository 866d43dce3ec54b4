import { describe, expect, it } from "vitest";
import { detectLanguage } from "../server/ingest/language.ts";

describe("language detection of untagged text", () => {
  it.each([
    [
      "lt",
      "Bibliotekos darbuotojai kviečiami į seminarą apie skaitmeninių įgūdžių ugdymą ir skaitymo skatinimą.",
    ],
    [
      "lv",
      "Bibliotēkas darbinieki aicināti uz semināru par digitālo prasmju attīstību un lasīšanas veicināšanu.",
    ],
    ["et", "Raamatukogu töötajad on oodatud seminarile digioskuste arendamisest ja lugemise edendamisest."],
    ["en", "Library staff are invited to a seminar on developing digital skills and promoting reading."],
    [
      "ru",
      "Сотрудники библиотеки приглашаются на семинар о развитии цифровых навыков и продвижении чтения. Мы расскажем, как работать с читателями всех возрастов и что нового появилось в электронном каталоге.",
    ],
    [
      "pl",
      "Pracownicy bibliotek są zaproszeni na seminarium o rozwijaniu umiejętności cyfrowych i promocji czytelnictwa.",
    ],
    [
      "de",
      "Die Mitarbeiter der Bibliothek sind zu einem Seminar über digitale Kompetenzen und Leseförderung eingeladen.",
    ],
  ])("tells %s", (language, text) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it("says nothing of a text too short to tell", () => {
    expect(detectLanguage("Labas rytas")).toBeNull();
  });

  it("reads only the beginning of a long text, and still tells its language", () => {
    const long = "Bibliotēkas darbinieki aicināti uz semināru par lasīšanas veicināšanu. ".repeat(5000);
    expect(detectLanguage(long)).toBe("lv");
  });
});
