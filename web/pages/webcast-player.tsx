import type { WebcastDetails } from "../../server/db/schema/index.ts";
import type { Item } from "../../server/domain/items.ts";
import { formatDuration } from "../../server/domain/webcasts.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

/** The video itself: our HTML5 player for a file, the host's player for an allowed page. */
export function VideoPlayer(props: { details: WebcastDetails; title: string; t: Translate }) {
  const { details, title, t } = props;
  const video = safeHref(details.videoUrl);
  if (video && details.videoType) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: webcasts have no caption files yet (noted in issue 8's closing note); the page's text describes the recording
      <video controls preload="metadata" poster={safeHref(details.thumbnailUrl)} class="player">
        <source src={video} type={details.videoType} />
        <a href={video}>{t("webcast.openVideo")}</a>
      </video>
    );
  }
  const embed = safeHref(details.embedUrl);
  if (embed) {
    return (
      <iframe
        src={embed}
        title={`${t("webcast.player")}: ${title}`}
        class="player"
        allow="fullscreen; picture-in-picture"
        allowfullscreen
        loading="lazy"
        referrerpolicy="strict-origin-when-cross-origin"
        sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"
      />
    );
  }
  return null;
}

/** A webcast's head: the player (or when it starts), where to watch live, how long it is. */
export function WebcastFacts(props: { item: Item; t: Translate; locale: Locale }) {
  const { item, t, locale } = props;
  if (item.details?.kind !== "webcast") return null;
  const details = item.details;
  const video = safeHref(details.videoUrl);
  const stream = safeHref(details.streamUrl);
  const player = <VideoPlayer details={details} title={item.title} t={t} />;
  return (
    <section class="webcast">
      {player}
      {!details.videoType && !details.embedUrl && video && (
        <p>
          <a href={video} rel="noopener">
            {t("webcast.openVideo")}
          </a>
        </p>
      )}
      {details.live && !video && <p class="hint">{t("webcast.noVideo")}</p>}
      <dl class="event-facts">
        {item.startsAt && (
          <>
            <dt>{t("webcast.startsAt")}</dt>
            <dd>
              <time datetime={item.startsAt.toISOString()}>
                {formatDate(locale, item.startsAt, details.timeZone)}
              </time>
            </dd>
          </>
        )}
        {details.durationSeconds && (
          <>
            <dt>{t("webcast.duration")}</dt>
            <dd>{formatDuration(details.durationSeconds, locale)}</dd>
          </>
        )}
        {stream && (
          <>
            <dt>{t("webcast.stream")}</dt>
            <dd>
              <a href={stream} rel="noopener">
                {t("webcast.watchLive")}
              </a>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The page other sites frame to play a webcast (Mastodon's link card, via twitter:player). */
export function PlayerPage(props: { item: Item; details: WebcastDetails; t: Translate }) {
  const { item, details, t } = props;
  return (
    <html lang={item.language ?? undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{item.title}</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body class="embed">
        <VideoPlayer details={details} title={item.title} t={t} />
      </body>
    </html>
  );
}
