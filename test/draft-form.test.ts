import { describe, expect, it } from "vitest";
import { draftValues } from "../server/http/draft-form.ts";
import { type Form, formValues, postInputFrom } from "../server/http/post-form.ts";

/** A draft saved from the editor comes back into the editor exactly as it was typed, for every kind. */
describe("draft form values", () => {
  const typed: Record<string, Form> = {
    article: {
      type: "article",
      title: "Skaitymo klubas",
      summary: "Kas ketvirtadienį.",
      content: "**Sveiki**",
      format: "markdown",
      language: "lt",
      tags: "skaitymas klubas",
      imageUrl: "https://lib.example/a.jpg",
      imageAlt: "Skaitytojai",
    },
    event: {
      type: "event",
      title: "Mokymai",
      content: "Programa",
      format: "html",
      language: "lv",
      eventStart: "2027-03-10T10:00",
      eventEnd: "2027-03-10T12:00",
      eventTimeZone: "Europe/Riga",
      eventPlace: "Gaismas pils, Rīga",
      eventLat: "56.94",
      eventLon: "24.09",
      eventOnline: "https://meet.example/x",
      eventRegistration: "https://forms.example/r",
      eventOrganizer: "LNB",
      eventAudience: "Bibliotekāri",
    },
    resource: {
      type: "resource",
      title: "Tyrimas",
      content: "Santrauka",
      format: "html",
      language: "lt",
      resourceType: "research",
      resourceAuthors: "A. Autorė\nB. Autorius",
      resourceYear: "2025",
      resourceDocument: "https://lib.example/t.pdf",
    },
    webcast: {
      type: "webcast",
      title: "Vebinaras",
      content: "Įrašas",
      format: "html",
      language: "en",
      webcastLive: "1",
      webcastStart: "2027-01-05T14:00",
      webcastTimeZone: "Europe/Vilnius",
      webcastStream: "https://stream.example/live",
      webcastVideo: "",
      webcastDuration: "1:30:00",
      webcastThumbnail: "https://lib.example/t.jpg",
    },
  };
  for (const [kind, form] of Object.entries(typed)) {
    it(`keeps every field of a ${kind}`, () => {
      // The fields of this kind; other kinds' fields are hidden and keep their defaults.
      const typedOnly = (values: object) =>
        Object.fromEntries(Object.entries(values).filter(([name]) => name in form));
      expect(typedOnly(draftValues(postInputFrom(form), "en"))).toEqual(typedOnly(formValues(form)));
    });
  }
});
