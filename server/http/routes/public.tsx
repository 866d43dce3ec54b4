import { type Context, Hono } from "hono";
import type { PageMeta } from "../../../web/components/layout.tsx";
import { ArticlePage } from "../../../web/pages/article.tsx";
import { ItemList } from "../../../web/pages/items.tsx";
import { ProfilePage, type RemoteFollowValues } from "../../../web/pages/profile.tsx";
import { PlayerPage } from "../../../web/pages/webcast-player.tsx";
import { type Account, findAccount, listAccounts } from "../../domain/accounts.ts";
import { countFollowers, countFollowing } from "../../domain/follows.ts";
import { countInteractions, NO_INTERACTIONS } from "../../domain/interactions.ts";
import { countItemsOf } from "../../domain/item-counts.ts";
import { findItemById, type Item, itemLanguages, itemVersion, listItems } from "../../domain/items.ts";
import type { AppEnv } from "../env.ts";
import { feedLinks } from "../feeds.ts";
import { render } from "../render.tsx";

const PAGE = 20;

function wantsActivityJson(accept: string | undefined): boolean {
  return /application\/(activity\+json|ld\+json)/.test(accept ?? "");
}

/** Public pages; they work without JavaScript. */
export const publicRoutes = new Hono<AppEnv>();

publicRoutes.get("/", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const accounts = await listAccounts(db);
  const page = await listItems(db, config.publicUrl, {
    limit: PAGE,
    origin: "local",
    cursor: c.req.query("cursor"),
  });
  return render(
    c,
    { title: t("site.title"), description: t("site.tagline"), url: config.publicUrl.href },
    <>
      <h1>{t("site.title")}</h1>
      <h2>{t("home.accounts")}</h2>
      {accounts.length === 0 ? (
        <p>{t("home.noAccounts")}</p>
      ) : (
        <ul>
          {accounts.map((a) => (
            <li>
              <a href={`/users/${a.username}`}>{a.name}</a>{" "}
              <span class="meta">
                @{a.username}@{config.publicUrl.host}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t("home.latest")}</h2>
      <ItemList
        items={page.items}
        t={t}
        locale={c.get("locale")}
        empty={t("home.empty")}
        nextHref={page.nextCursor ? `/?cursor=${page.nextCursor}` : undefined}
      />
    </>,
  );
});

publicRoutes.get("/@:username", (c) => c.redirect(`/users/${c.req.param("username")}`, 301));

publicRoutes.get("/users/:username", async (c) => {
  const t = c.get("t");
  const account = await findAccount(c.get("deps").db, c.req.param("username"));
  if (!account) return render(c, { title: t("error.notFound") }, <h1>{t("error.notFound")}</h1>, 404);
  return profilePage(c, account);
});

/** A library's profile page; with `remoteFollow`, its follow form shows that value and error. */
export async function profilePage(
  c: Context<AppEnv>,
  account: Account,
  remoteFollow?: RemoteFollowValues,
  status: 200 | 400 | 403 | 429 = 200,
) {
  const { db, config } = c.get("deps");
  const [followers, following, posts, page] = await Promise.all([
    countFollowers(db, account.id),
    countFollowing(db, account.id),
    countItemsOf(db, account.id),
    listItems(db, config.publicUrl, { limit: PAGE, accountId: account.id, cursor: c.req.query("cursor") }),
  ]);
  const url = new URL(`/users/${account.username}`, config.publicUrl).href;
  return render(
    c,
    {
      title: account.name,
      description: account.summary,
      url,
      image: account.iconUrl ?? undefined,
      type: "profile",
      activityPubId: url,
      feeds: {
        title: account.name,
        ...feedLinks(config.publicUrl, account.username),
        ical: new URL(`/users/${account.username}/calendar.ics`, config.publicUrl).href,
      },
    },
    <ProfilePage
      account={account}
      handle={`${account.username}@${config.publicUrl.host}`}
      counts={{ followers, following, posts }}
      items={page.items}
      nextHref={page.nextCursor ? `?cursor=${page.nextCursor}` : undefined}
      csrf={c.get("csrfToken")}
      remoteFollow={remoteFollow}
      t={c.get("t")}
      locale={c.get("locale")}
    />,
    status,
  );
}

/** The picture of an item's link card: its first image, or a webcast's thumbnail. */
function leadImage(item: Item): string | undefined {
  if (item.details?.kind === "webcast" && item.details.thumbnailUrl) return item.details.thumbnailUrl;
  return item.attachments[0]?.url;
}

/** og:video and twitter:player of a webcast: its file and our player page, or the host's player. */
function videoMeta(item: Item): PageMeta["video"] {
  if (item.details?.kind !== "webcast") return undefined;
  const { videoUrl, videoType, embedUrl } = item.details;
  if (embedUrl) return { url: embedUrl, type: "text/html", player: embedUrl };
  if (videoUrl && videoType) return { url: videoUrl, type: videoType, player: `${item.iri}/embed` };
  return undefined;
}

/** A webcast's bare player, for other sites to frame (the only page that may be framed). */
publicRoutes.get("/users/:username/videos/:id/embed", async (c) => {
  const { db } = c.get("deps");
  const account = await findAccount(db, c.req.param("username"));
  const item = await findItemById(db, c.req.param("id"));
  if (
    !account ||
    !item ||
    item.accountId !== account.id ||
    item.deletedAt ||
    item.details?.kind !== "webcast"
  ) {
    return c.text(c.get("t")("error.notFound"), 404);
  }
  return c.html(`<!doctype html>${<PlayerPage item={item} details={item.details} t={c.get("t")} />}`);
});

publicRoutes.get("/users/:username/:kind{articles|events|videos}/:id", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const account = await findAccount(db, c.req.param("username"));
  const item = await findItemById(db, c.req.param("id"));
  if (!account || !item || item.accountId !== account.id) {
    return render(c, { title: t("error.notFound") }, <h1>{t("error.notFound")}</h1>, 404);
  }
  if (item.deletedAt) {
    // A deleted object answers 410 Gone; ActivityPub clients get a Tombstone.
    if (wantsActivityJson(c.req.header("accept"))) {
      return c.json(
        {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: item.iri,
          type: "Tombstone",
          formerType: item.type,
          deleted: item.deletedAt.toISOString(),
        },
        410,
        { "Content-Type": "application/activity+json" },
      );
    }
    return render(c, { title: t("article.gone") }, <h1>{t("article.gone")}</h1>, 410);
  }
  const handle = `${account.username}@${config.publicUrl.host}`;
  const counts = (await countInteractions(db, [item])).get(item.id) ?? NO_INTERACTIONS;
  // ?lang= picks a version; otherwise the reader's interface language, when the item has it.
  const version = itemVersion(item, c.req.query("lang") ?? c.get("locale"));
  return render(
    c,
    {
      title: version.title,
      description: version.summary,
      url: item.url ?? item.iri,
      // The library's avatar when the article has no image of its own.
      image: leadImage(item) ?? account.iconUrl ?? undefined,
      type: item.details?.kind === "webcast" ? "video.other" : "article",
      video: videoMeta(item),
      activityPubId: item.iri,
      language: version.language ?? undefined,
      alternates: itemLanguages(item).map((language) => ({
        language,
        href: `${item.url ?? item.iri}?lang=${encodeURIComponent(language)}`,
      })),
      creator: `@${handle}`,
      feeds: { title: account.name, ...feedLinks(config.publicUrl, account.username) },
    },
    <ArticlePage
      item={item}
      account={account}
      handle={handle}
      counts={counts}
      version={version}
      t={t}
      locale={c.get("locale")}
    />,
  );
});

publicRoutes.get("/tags/:tag", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const tag = c.req.param("tag");
  const page = await listItems(db, config.publicUrl, { limit: PAGE, tag, cursor: c.req.query("cursor") });
  return render(
    c,
    { title: `#${tag}` },
    <>
      <h1>#{tag}</h1>
      <ItemList
        items={page.items}
        t={t}
        locale={c.get("locale")}
        empty={t("home.empty")}
        nextHref={page.nextCursor ? `?cursor=${page.nextCursor}` : undefined}
      />
    </>,
  );
});

publicRoutes.get("/received", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const page = await listItems(db, config.publicUrl, {
    limit: PAGE,
    origin: "remote",
    cursor: c.req.query("cursor"),
  });
  return render(
    c,
    { title: t("received.title") },
    <>
      <h1>{t("received.title")}</h1>
      <ItemList
        items={page.items}
        t={t}
        locale={c.get("locale")}
        empty={t("received.empty")}
        nextHref={page.nextCursor ? `?cursor=${page.nextCursor}` : undefined}
      />
    </>,
  );
});
