import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Translate } from "../../web/i18n/index.ts";
import type { MediaLimits } from "../config.ts";
import { TooLargeError, ValidationError } from "../domain/errors.ts";
import { countAdmins } from "../domain/users.ts";
import { embedHosts } from "../ingest/video-links.ts";
import { actorBlockGuard } from "./actor-block-guard.ts";
import { csrfToken } from "./csrf.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { federationBridge } from "./federation-bridge.ts";
import { inboxGuard } from "./inbox-guard.ts";
import { pickLocale } from "./locale.ts";
import { streamedForms } from "./multipart.ts";
import { publicFile } from "./public-file.ts";
import { RateLimiter } from "./rate-limit.ts";
import { renderNotFound } from "./render.tsx";
import { accountsApiRoutes } from "./routes/accounts-api.ts";
import { adminRoutes } from "./routes/admin.tsx";
import { apiRoutes } from "./routes/api.ts";
import { authRoutes } from "./routes/auth.tsx";
import { calendarRoutes } from "./routes/calendar.tsx";
import { directoryRoutes } from "./routes/directory.tsx";
import { feedRoutes } from "./routes/feeds.ts";
import { mediaRoutes } from "./routes/media.ts";
import { publicRoutes } from "./routes/public.tsx";
import { remoteFollowRoutes } from "./routes/remote-follow.tsx";
import { searchRoutes } from "./routes/search.tsx";
import { sharedFeedRoutes } from "./routes/shared-feed.tsx";
import { wellKnownRoutes } from "./routes/well-known.ts";
import { securityHeaders } from "./security-headers.ts";
import { loadSession } from "./session.ts";

const logger = getLogger(["baltic", "http"]);

/** The largest form the post editor can send: a video, a document, four images, and the text. */
function uploadBodyLimit(limits: MediaLimits): number {
  return limits.video + limits.document + 4 * limits.image + 2 * 1024 * 1024;
}

export interface AppOptions {
  /** Inbox POSTs per minute from one address before 429 (default: INBOX_RATE_LIMIT). */
  inboxRequestsPerMinute?: number;
}

/** The whole HTTP surface: Fedify first, then pages, admin and the JSON API. */
export function createApp(deps: AppDeps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set("deps", deps);
    const started = performance.now();
    await next();
    logger.debug("{method} {path} {status} {ms} ms", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use(
    securityHeaders({
      https: deps.config.publicUrl.protocol === "https:",
      frameSources: embedHosts(deps.config.videoEmbedHosts),
    }),
  );
  const perMinute = (name: string, limit: number, exact = false) =>
    new RateLimiter(deps.db, name, limit, 60_000, { exact });
  // Moderation: a blocked actor's inbox POSTs are refused before the body is read.
  app.use(actorBlockGuard());
  app.use(
    inboxGuard({
      perAddress: perMinute("inbox", options.inboxRequestsPerMinute ?? deps.config.inboxRateLimit),
      perServer: perMinute("inbox-server", deps.config.inboxDomainRateLimit),
    }),
  );
  app.use(federationBridge());

  app.get("/static/style.css", publicFile("style.css"));
  app.route("/.well-known", wellKnownRoutes);
  app.route("/api/v1/accounts", accountsApiRoutes);
  app.route("/api", apiRoutes);
  app.route("/media", mediaRoutes);
  // Admin forms carry uploads: the whole body is capped here, files are streamed to disk as they
  // arrive (multipart.ts), and each file's own limit is checked by services/media.ts, which
  // names the field.
  app.use(
    "/admin/*",
    bodyLimit({
      maxSize: uploadBodyLimit(deps.config.mediaLimits),
      onError: (c) => c.text("The upload is larger than this server accepts (see MEDIA_MAX_*_MB).", 413),
    }),
  );
  const { image, document, video } = deps.config.mediaLimits;
  app.use(
    "/admin/*",
    streamedForms(join(deps.config.dataDir, "uploads-in-progress"), {
      maxFileBytes: Math.max(image, document, video),
    }),
  );

  // Pages: CSRF token, session, then the locale (a user's setting counts) for every HTML route.
  app.use(csrfToken());
  app.use(loadSession());
  app.use(pickLocale());
  // Until the first admin exists, the home, login and admin pages lead to setup.
  let setupDone = false;
  app.use(async (c, next) => {
    const entryPage = c.req.path === "/" || c.req.path === "/login" || c.req.path.startsWith("/admin");
    if (!setupDone && entryPage && c.req.method === "GET") {
      setupDone = (await countAdmins(deps.db)) > 0;
      if (!setupDone) return c.redirect("/setup", 303);
    }
    await next();
  });
  app.route(
    "/",
    authRoutes({
      // Exact across web processes: sign-in attempts are few, and each one counts.
      perAddress: perMinute("login", deps.config.loginRateLimit, true),
      // Higher, so that an attacker hammering one email cannot lock its owner out at once.
      perAccount: perMinute("login-account", deps.config.loginRateLimit * 5, true),
    }),
  );
  app.route("/admin", adminRoutes);
  app.route("/", calendarRoutes);
  app.route("/", directoryRoutes);
  app.route("/", feedRoutes);
  app.route("/", searchRoutes);
  app.route("/", sharedFeedRoutes);
  app.route("/", publicRoutes);
  // Each attempt makes us fetch WebFinger from another server: a budget per client address.
  app.route("/", remoteFollowRoutes(perMinute("remote-follow", 20)));

  app.onError((error, c) => {
    if (error instanceof ValidationError) {
      if (c.req.path.startsWith("/api/")) return c.json({ error: error.message, field: error.field }, 400);
      return c.text(error.message, error instanceof TooLargeError ? 413 : 400);
    }
    logger.error("Unhandled error on {method} {path}: {error}", {
      method: c.req.method,
      path: c.req.path,
      error,
    });
    return c.req.path.startsWith("/api/")
      ? c.json({ error: "internal error" }, 500)
      : c.text("Internal error", 500);
  });
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) return c.json({ error: "not found" }, 404);
    // Set by the locale middleware; missing on paths answered before it.
    const t = c.get("t") as Translate | undefined;
    // Pages get a translated page; paths handled before the locale middleware get plain text.
    return t ? renderNotFound(c) : c.text("Not found", 404);
  });
  return app;
}
