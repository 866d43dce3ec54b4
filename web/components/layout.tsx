import type { Child } from "hono/jsx";
import { LOCALE_NAMES, LOCALES, type Locale, type Translate } from "../i18n/index.ts";

export interface PageMeta {
  title: string;
  description?: string;
  /** Absolute URL of the page, for OpenGraph. */
  url?: string;
  image?: string;
  type?: "website" | "article" | "profile" | "video.other";
  /** A video the link card can play: a file (og:video) and a player page (twitter:player). */
  video?: { url: string; type: string; player?: string };
  /** The ActivityPub id of what this page shows, advertised for fediverse clients. */
  activityPubId?: string;
  /**
   * The language of the page's content when it is not the interface's (an article): it becomes
   * `<html lang>` and `og:locale`, which Mastodon gives its link card.
   */
  language?: string;
  /** The same page in other languages (`<link rel="alternate" hreflang>`). */
  alternates?: { language: string; href: string }[];
  /** `@user@host` of the author, credited on Mastodon's link card (`fediverse:creator`). */
  creator?: string;
  /** Feeds of what the page lists, for feed readers' autodiscovery. */
  feeds?: { title: string; rss: string; atom: string; json: string; ical?: string };
}

export interface LayoutProps {
  t: Translate;
  locale: Locale;
  meta: PageMeta;
  signedIn: boolean;
  siteName: string;
  /** A hub's pages also lead to its shared feed and directory. */
  isHub?: boolean;
  /** The page's query string: the language switch keeps it (a search stays the same search). */
  query?: URLSearchParams;
  children: Child;
}

/** The same page in another interface language. */
function languageHref(query: URLSearchParams | undefined, locale: Locale): string {
  const next = new URLSearchParams(query);
  next.set("lang", locale);
  return `?${next}`;
}

/** The frame of every page: works without JavaScript, one stylesheet, a language switch. */
export function Layout({ t, locale, meta, signedIn, siteName, isHub, query, children }: LayoutProps) {
  const pageLanguage = meta.language ?? locale;
  // The interface around content in another language keeps its own lang attribute.
  const chromeLang = pageLanguage === locale ? undefined : locale;
  return (
    <html lang={pageLanguage}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{meta.title === siteName ? siteName : `${meta.title} · ${siteName}`}</title>
        {meta.description && <meta name="description" content={meta.description} />}
        <meta property="og:site_name" content={siteName} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:type" content={meta.type ?? "website"} />
        {meta.description && <meta property="og:description" content={meta.description} />}
        {meta.language && <meta property="og:locale" content={meta.language} />}
        {meta.creator && <meta name="fediverse:creator" content={meta.creator} />}
        {meta.url && <meta property="og:url" content={meta.url} />}
        {meta.url && <link rel="canonical" href={meta.url} />}
        {meta.alternates &&
          meta.alternates.length > 1 &&
          meta.alternates.map((alt) => <link rel="alternate" hreflang={alt.language} href={alt.href} />)}
        {meta.image && <meta property="og:image" content={meta.image} />}
        {meta.video && (
          <>
            <meta property="og:video" content={meta.video.url} />
            <meta property="og:video:type" content={meta.video.type} />
            <meta property="og:video:width" content="1280" />
            <meta property="og:video:height" content="720" />
          </>
        )}
        {meta.video?.player ? (
          <>
            <meta name="twitter:card" content="player" />
            <meta name="twitter:player" content={meta.video.player} />
            <meta name="twitter:player:width" content="1280" />
            <meta name="twitter:player:height" content="720" />
          </>
        ) : (
          <meta name="twitter:card" content={meta.image ? "summary_large_image" : "summary"} />
        )}
        {meta.activityPubId && (
          <link rel="alternate" type="application/activity+json" href={meta.activityPubId} />
        )}
        {meta.feeds && (
          <>
            <link rel="alternate" type="application/rss+xml" title={meta.feeds.title} href={meta.feeds.rss} />
            <link
              rel="alternate"
              type="application/atom+xml"
              title={meta.feeds.title}
              href={meta.feeds.atom}
            />
            <link
              rel="alternate"
              type="application/feed+json"
              title={meta.feeds.title}
              href={meta.feeds.json}
            />
            {meta.feeds.ical && (
              <link rel="alternate" type="text/calendar" title={meta.feeds.title} href={meta.feeds.ical} />
            )}
          </>
        )}
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <a class="skip" href="#main" lang={chromeLang}>
          {t("nav.skip")}
        </a>
        <header class="site" lang={chromeLang}>
          <a class="brand" href="/">
            {siteName}
          </a>
          <nav aria-label={t("nav.main")}>
            <a href="/">{t("nav.home")}</a>
            <a href="/received">{t("nav.received")}</a>
            <a href="/search">{t("nav.search")}</a>
            {isHub && (
              <>
                <a href="/shared">{t("nav.shared")}</a>
                <a href="/directory">{t("nav.directory")}</a>
              </>
            )}
            {signedIn ? (
              <>
                <a href="/admin">{t("nav.admin")}</a>
                <form method="post" action="/logout" class="inline">
                  <button type="submit" class="link">
                    {t("nav.logout")}
                  </button>
                </form>
              </>
            ) : (
              <a href="/login">{t("nav.login")}</a>
            )}
          </nav>
          <nav aria-label={t("nav.language")} class="languages">
            {LOCALES.map((l) => (
              <a
                href={languageHref(query, l)}
                hreflang={l}
                lang={l}
                aria-current={l === locale ? "true" : undefined}
              >
                {LOCALE_NAMES[l]}
              </a>
            ))}
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site" lang={chromeLang}>
          <p>{t("site.tagline")}</p>
        </footer>
      </body>
    </html>
  );
}
