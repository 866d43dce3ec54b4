import { Document, Image, type Video } from "@fedify/vocab";
import type { WebcastDetails } from "../db/schema/index.ts";
import type { Item } from "../domain/items.ts";
import { type LibraryTerms, LibraryVideo, withTerms } from "./library-terms.ts";
import { seconds, toInstant } from "./temporal.ts";

type ObjectValues = NonNullable<ConstructorParameters<typeof Video>[0]>;

/**
 * A webcast as a `Video`. Mastodon converts it to name + summary + link (the summary carries the
 * date and duration) and plays a video `attachment` of a type it supports inline, so an mp4 or
 * webm file goes out as a `Document` attachment; a page on a video host stays the `url`'s link
 * card, which plays from the page's `twitter:player`.
 */
export function webcastToVideo(
  values: ObjectValues & { attachments: Document[] },
  item: Item,
  details: WebcastDetails,
  terms: LibraryTerms,
): Video {
  const video =
    details.videoUrl && details.videoType
      ? [new Document({ url: new URL(details.videoUrl), mediaType: details.videoType, name: item.title })]
      : [];
  return withTerms(
    new LibraryVideo({
      ...values,
      attachments: [...video, ...values.attachments],
      duration: details.durationSeconds ? seconds(details.durationSeconds) : null,
      startTime: item.startsAt ? toInstant(item.startsAt) : null,
      endTime: item.endsAt ? toInstant(item.endsAt) : null,
      image: details.thumbnailUrl ? new Image({ url: new URL(details.thumbnailUrl) }) : null,
    }),
    terms,
  );
}
