import { formatEventPlace, formatEventTime } from "../../server/domain/events.ts";
import type { Item } from "../../server/domain/items.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** When, where, how to join and register: the head of an event's page (h-event microformat). */
export function EventFacts(props: { item: Item; t: Translate; locale: Locale }) {
  const { item, t, locale } = props;
  if (item.details?.kind !== "event" || !item.startsAt) return null;
  const { location, timeZone, registrationUrl, organizer, audience } = item.details;
  const online = location.online ? safeHref(location.online) : undefined;
  const place = location.place;
  const mapHref =
    place?.latitude != null && place.longitude != null
      ? `https://www.openstreetmap.org/?mlat=${place.latitude}&mlon=${place.longitude}#map=17/${place.latitude}/${place.longitude}`
      : undefined;
  return (
    <dl class="event-facts">
      <dt>{t("event.when")}</dt>
      <dd>
        <time class="dt-start" datetime={item.startsAt.toISOString()}>
          {formatEventTime(item.startsAt, item.endsAt, timeZone ?? "UTC", locale)}
        </time>
      </dd>
      <dt>{t("event.where")}</dt>
      <dd class="p-location">
        {place ? place.name : formatEventPlace(location, locale)}
        {mapHref && (
          <>
            {" "}
            (<a href={mapHref}>{t("event.map")}</a>)
          </>
        )}
        {online && (
          <p>
            <a href={online} rel="nofollow noopener">
              {t("event.join")}
            </a>
          </p>
        )}
      </dd>
      {organizer && (
        <>
          <dt>{t("event.organizer")}</dt>
          <dd>{organizer}</dd>
        </>
      )}
      {audience && (
        <>
          <dt>{t("event.audience")}</dt>
          <dd>{audience}</dd>
        </>
      )}
      {registrationUrl && safeHref(registrationUrl) && (
        <>
          <dt>{t("event.registration")}</dt>
          <dd>
            <a href={safeHref(registrationUrl)} rel="nofollow noopener">
              {t("event.register")}
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}
