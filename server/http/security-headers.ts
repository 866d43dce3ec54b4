import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";

/**
 * Headers on every response (issue 7, finding 6). The Content-Security-Policy allows no inline
 * script or style at all (pages have none): injected markup that slipped past the sanitizer
 * could not run. Images may come from other sites (attachments, avatars), over http(s) only.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "https:", "http:"],
      mediaSrc: ["'self'", "https:", "http:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "strict-origin-when-cross-origin",
    // Remote servers' web apps show our images and fetch our documents.
    crossOriginResourcePolicy: false,
    strictTransportSecurity: options.https ? "max-age=31536000" : false,
  });
}
