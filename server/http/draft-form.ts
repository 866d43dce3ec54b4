import type { PostFormValues } from "../../web/pages/admin.tsx";
import type { PostInput } from "../domain/posts.ts";
import { emptyValues } from "./post-form.ts";

const lines = (values: string[] | undefined) => (values ?? []).join("\n");
const number = (value: number | undefined) => value?.toString() ?? "";

/**
 * A draft's stored input as the post form shows it: the inverse of postInputFrom(), so a draft
 * saved from the form comes back exactly as it was typed.
 */
export function draftValues(input: PostInput, fallbackLanguage: string): PostFormValues {
  const type = input.type ?? "article";
  const { event, resource, practice, webcast } = input;
  return {
    ...emptyValues(type, input.language || fallbackLanguage),
    title: input.title,
    summary: input.summary ?? "",
    content: input.content,
    // preparePost() reads anything but "markdown" as HTML; the form must say the same.
    format: input.format === "markdown" ? "markdown" : "html",
    tags: (input.tags ?? []).join(" "),
    imageUrl: input.imageUrl ?? "",
    imageAlt: input.imageAlt ?? "",
    images: (input.images ?? []).map((image) => ({ url: image.url, alt: image.alt })),
    translations: Object.fromEntries(
      (input.translations ?? []).map((v) => [
        v.language,
        { title: v.title, summary: v.summary ?? "", content: v.content },
      ]),
    ),
    ...(event && {
      eventStart: event.start,
      eventEnd: event.end ?? "",
      eventTimeZone: event.timeZone,
      eventPlace: event.placeName ?? "",
      eventLat: number(event.latitude),
      eventLon: number(event.longitude),
      eventOnline: event.onlineUrl ?? "",
      eventRegistration: event.registrationUrl ?? "",
      eventOrganizer: event.organizer ?? "",
      eventAudience: event.audience ?? "",
    }),
    ...(resource && {
      resourceType: resource.resourceType,
      resourceAuthors: lines(resource.authors),
      resourceYear: number(resource.year),
      resourceDocument: resource.documentUrl ?? "",
    }),
    ...(practice && {
      practiceScope: practice.scope,
      practiceCountries: practice.countries.join(" "),
      practiceAudiences: lines(practice.audiences),
      practiceSkill: practice.skillLevel ?? "",
      practiceFunding: practice.fundingType ?? "",
      practiceFunder: practice.funder ?? "",
      practicePartners: lines(practice.partners),
      practicePeriodStart: practice.periodStart ?? "",
      practicePeriodEnd: practice.periodEnd ?? "",
      practiceReach: practice.reach ?? "",
      practiceResults: practice.results ?? "",
      practiceContact: practice.contact ?? "",
    }),
    ...(webcast && {
      webcastLive: webcast.live ? "1" : "",
      webcastStart: webcast.start ?? "",
      webcastTimeZone: webcast.timeZone ?? "",
      webcastStream: webcast.streamUrl ?? "",
      webcastVideo: webcast.videoUrl ?? "",
      webcastDuration: webcast.duration ?? "",
      webcastThumbnail: webcast.thumbnailUrl ?? "",
    }),
  };
}
