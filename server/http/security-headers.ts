import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";

/**
 * Headers on every response (issue 7, finding 6). The Content-Security-Policy allows no inline
 * script or style at all (pages have none): injected markup that slipped past the sanitizer
 * could not run. Images may come from other sites (attachments, avatars), over http(s) only.
 */
export function securityHeaders(options: {
  https: boolean;
  /** Video players pages may frame (webcasts: ingest/video-links.ts). */
  frameSources: string[];
}): MiddlewareHandler<AppEnv> {
  const policy = (frameAncestors: string[]) => ({
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "https:", "http:"],
    mediaSrc: ["'self'", "https:", "http:"],
    frameSrc: options.frameSources.length > 0 ? options.frameSources : ["'none'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors,
  });
  const common = {
    xContentTypeOptions: "nosniff",
    referrerPolicy: "strict-origin-when-cross-origin",
    // Remote servers' web apps show our images and fetch our documents.
    crossOriginResourcePolicy: false,
    strictTransportSecurity: options.https ? "max-age=31536000" : false,
  } as const;
  const pages = secureHeaders({
    ...common,
    contentSecurityPolicy: policy(["'none'"]),
    xFrameOptions: "DENY",
  });
  // A webcast's player page is made to be framed: Mastodon's link card plays it (twitter:player).
  const players = secureHeaders({ ...common, contentSecurityPolicy: policy(["*"]), xFrameOptions: false });
  // Uploaded files: a sandbox (no script, an opaque origin) so that a PDF or anything a browser
  // might render as a document can do nothing on our origin; other sites may embed them.
  const mediaFiles = secureHeaders({
    ...common,
    contentSecurityPolicy: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], sandbox: [] },
    xFrameOptions: false,
  });
  return (c, next) => {
    if (c.req.path.startsWith("/media/")) return mediaFiles(c, next);
    return PLAYER_PATH.test(c.req.path) ? players(c, next) : pages(c, next);
  };
}

/** The one kind of page other sites may frame. */
export const PLAYER_PATH = /^\/users\/[^/]+\/videos\/[^/]+\/embed$/;
