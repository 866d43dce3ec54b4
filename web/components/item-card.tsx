import { formatEventPlace, formatEventTime } from "../../server/domain/events.ts";
import { hubKindOf } from "../../server/domain/hub-kinds.ts";
import type { Item } from "../../server/domain/items.ts";
import { practiceWords } from "../../server/domain/practices.ts";
import { resourceTypeName } from "../../server/domain/resources.ts";
import { formatDuration } from "../../server/domain/webcasts.ts";
import type { Locale, Translate } from "../i18n/index.ts";

type CardItem = Pick<Item, "type" | "details" | "startsAt" | "endsAt">;

/** What kind of item a card shows (news, webcast, event…), as the search's type facet names it. */
export function KindBadge(props: { item: CardItem; t: Translate }) {
  const kind = hubKindOf(props.item);
  return <span class={`kind kind-${kind}`}>{props.t(`search.kind.${kind}`)}</span>;
}

/** The one line of facts a card of each kind needs: when and where, how long, what and when… */
function factsOf(item: CardItem, locale: Locale): string[] {
  const details = item.details;
  if (!details) return [];
  switch (details.kind) {
    case "event":
      return item.startsAt
        ? [
            formatEventTime(item.startsAt, item.endsAt, details.timeZone ?? "UTC", locale),
            formatEventPlace(details.location, locale),
          ]
        : [];
    case "webcast":
      if (details.live && item.startsAt) {
        return [formatEventTime(item.startsAt, item.endsAt, details.timeZone ?? "UTC", locale)];
      }
      return details.durationSeconds ? [formatDuration(details.durationSeconds, locale)] : [];
    case "resource":
      return [resourceTypeName(details.resourceType, locale), details.year ? String(details.year) : ""];
    case "practice": {
      const words = practiceWords(locale);
      return [words.scope[details.scope], details.skillLevel ? words.skill[details.skillLevel] : ""];
    }
  }
}

/** The kind badge and the kind's facts at the top of a card, the same on every list page. */
export function CardHead(props: { item: CardItem; t: Translate; locale: Locale }) {
  const facts = factsOf(props.item, props.locale).filter(Boolean);
  return (
    <p class="card-head" lang={props.locale}>
      <KindBadge item={props.item} t={props.t} />
      {facts.length > 0 && <span class="facts">{facts.join(" · ")}</span>}
    </p>
  );
}
