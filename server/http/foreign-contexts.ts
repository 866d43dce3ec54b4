import { verifyRequest } from "@fedify/fedify";
import { preloadedContexts } from "@fedify/vocab-runtime";
import type { AppDeps } from "./env.ts";

/**
 * The `@context` URLs of a document that are not among Fedify's preloaded ones (ActivityStreams,
 * security, Mastodon's…): loading one means fetching it from wherever the sender points.
 */
export function foreignContexts(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (depth > 32 || value === null || typeof value !== "object") return found;
  if (Array.isArray(value)) {
    for (const v of value) foreignContexts(v, found, depth + 1);
    return found;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === "@context") {
      for (const entry of Array.isArray(v) ? v : [v]) {
        if (typeof entry === "string" && !Object.hasOwn(preloadedContexts, entry)) found.add(entry);
      }
    }
    foreignContexts(v, found, depth + 1);
  }
  return found;
}

/**
 * Issue 7, finding 2: before an activity that names foreign contexts is handed to Fedify (whose
 * JSON-LD processing would load them first), its HTTP signature must hold. Unsigned requests
 * never make us fetch anything; signed ones only fetch the key, through the cached loader.
 */
export async function signatureHolds(request: Request, deps: AppDeps): Promise<boolean> {
  if (!request.headers.has("signature") && !request.headers.has("signature-input")) return false;
  const ctx = deps.federation.createContext(request, { db: deps.db, config: deps.config });
  const key = await verifyRequest(request, {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
  }).catch(() => null);
  return key != null;
}
