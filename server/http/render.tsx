import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { Layout, type PageMeta } from "../../web/components/layout.tsx";
import type { AppEnv } from "./env.ts";

/** Renders a page inside the site layout with the request's locale. */
export function render(
  c: Context<AppEnv>,
  meta: PageMeta,
  body: Child,
  status: 200 | 400 | 403 | 404 | 410 | 413 | 429 = 200,
) {
  const t = c.get("t");
  // Without the doctype browsers render in quirks mode.
  return c.html(
    <>
      {raw("<!DOCTYPE html>")}
      <Layout
        t={t}
        locale={c.get("locale")}
        meta={meta}
        signedIn={c.get("user") != null}
        siteName={t("site.title")}
        isHub={c.get("deps").config.instanceRole === "hub"}
        query={new URL(c.req.url).searchParams}
      >
        {body}
      </Layout>
    </>,
    status,
  );
}

/** The translated 404 page. */
export function renderNotFound(c: Context<AppEnv>) {
  const t = c.get("t");
  return render(c, { title: t("error.notFound") }, <h1>{t("error.notFound")}</h1>, 404);
}
