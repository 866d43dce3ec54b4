import { getLogger } from "@logtape/logtape";
import { type Backfill, startBackfill } from "../domain/backfills.ts";
import { ValidationError } from "../domain/errors.ts";
import { findSourceActor, hubAccount } from "../domain/hub-sources.ts";
import type { RemoteActor } from "../domain/remote-actors.ts";
import { enqueueBackfill } from "../federation/backfill-jobs.ts";
import { SOFTWARE_NAME } from "../federation/nodeinfo.ts";
import { safeFetch } from "../ingest/safe-fetch.ts";
import type { Services } from "./context.ts";
import { followRemote, unfollowRemote } from "./following.ts";

const logger = getLogger(["baltic", "hub"]);
const NODEINFO_SCHEMA = /^http:\/\/nodeinfo\.diaspora\.software\/ns\/schema\/2\.[01]$/;
/** More accounts than a regional instance has: a longer list is a mistake or an attack. */
const MAX_INSTANCE_ACCOUNTS = 500;

/** Hub commands and pages exist only on a hub: a library's accounts follow one by one. */
export function requireHub(services: Services): void {
  if (services.config.instanceRole !== "hub") {
    throw new ValidationError("INSTANCE_ROLE", "this instance is not a hub (INSTANCE_ROLE=hub)");
  }
}

/** Follows a library (`@user@host` or actor URL) from the hub's account. */
export async function followSource(services: Services, target: string): Promise<RemoteActor> {
  requireHub(services);
  return followRemote(services, await hubAccount(services.db), target);
}

/** `host`, `https://host` or any URL on it: the instance's origin (https unless a scheme is given). */
function instanceOrigin(input: string): URL {
  const trimmed = input.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.protocol === "http:" || url.protocol === "https:") return new URL(url.origin);
  } catch {
    // fall through
  }
  throw new ValidationError("instance", `"${input}" is not a host name or URL`);
}

async function getJson(services: Services, url: URL, what: string): Promise<unknown> {
  try {
    const response = await safeFetch(url, {
      allowPrivateAddress: services.config.allowPrivateAddress,
      accept: "application/json",
      maxBytes: 1024 * 1024,
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return response.json();
  } catch (error) {
    throw new ValidationError(
      "instance",
      `could not read ${what} at ${url.href}: ${(error as Error).message}`,
    );
  }
}

/** What the instance's NodeInfo says it runs. */
async function softwareOf(services: Services, origin: URL): Promise<string> {
  const index = (await getJson(services, new URL("/.well-known/nodeinfo", origin), "NodeInfo")) as {
    links?: { rel?: unknown; href?: unknown }[];
  };
  const link = (Array.isArray(index?.links) ? index.links : []).find(
    (l) => typeof l?.rel === "string" && NODEINFO_SCHEMA.test(l.rel) && typeof l.href === "string",
  );
  if (!link) throw new ValidationError("instance", `${origin.host} publishes no NodeInfo 2.x`);
  const href = new URL(link.href as string, origin);
  if (href.origin !== origin.origin) throw new ValidationError("instance", "its NodeInfo is on another host");
  const info = (await getJson(services, href, "NodeInfo")) as { software?: { name?: unknown } };
  return typeof info?.software?.name === "string" ? info.software.name : "unknown software";
}

export interface InstanceFollowResult {
  followed: RemoteActor[];
  failed: { target: string; error: string }[];
}

/**
 * Follows every library account of an instance of ours (listed at /api/v1/accounts). Other
 * software has no such list: those are refused with a message to add accounts one by one.
 */
export async function followInstance(services: Services, input: string): Promise<InstanceFollowResult> {
  requireHub(services);
  const origin = instanceOrigin(input);
  const software = await softwareOf(services, origin);
  if (software !== SOFTWARE_NAME) {
    throw new ValidationError(
      "instance",
      `${origin.host} runs ${software}: following all accounts at once is supported only for ${SOFTWARE_NAME} instances; add its libraries one by one by handle or URL`,
    );
  }
  const listed = (await getJson(services, new URL("/api/v1/accounts", origin), "the account list")) as {
    accounts?: { id?: unknown }[];
  };
  const ids = (Array.isArray(listed?.accounts) ? listed.accounts : [])
    .map((a) => (typeof a?.id === "string" ? a.id : null))
    .filter((id): id is string => id != null && URL.canParse(id) && new URL(id).origin === origin.origin)
    .slice(0, MAX_INSTANCE_ACCOUNTS);
  const result: InstanceFollowResult = { followed: [], failed: [] };
  for (const id of ids) {
    try {
      result.followed.push(await followSource(services, id));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      logger.warn("Could not follow {id}: {error}", { id, error: error.message });
      result.failed.push({ target: id, error: error.message });
    }
  }
  return result;
}

async function requireSource(services: Services, target: string): Promise<RemoteActor> {
  const actor = await findSourceActor(services.db, target);
  if (!actor) throw new ValidationError("target", `${target} is not a source of this hub`);
  return actor;
}

export async function unfollowSource(services: Services, target: string): Promise<RemoteActor> {
  requireHub(services);
  const actor = await requireSource(services, target);
  if (!(await unfollowRemote(services, await hubAccount(services.db), actor.iri))) {
    throw new ValidationError("target", `the hub does not follow ${target}`);
  }
  return actor;
}

/**
 * Starts a backfill of a source's outbox, or returns the one running. With `queue`, a worker walks
 * it; without, the caller runs it (the CLI, which shows its progress).
 */
export async function backfillSource(
  services: Services,
  target: string,
  options: { queue: boolean },
): Promise<{ backfill: Backfill; fresh: boolean }> {
  requireHub(services);
  const actor = await requireSource(services, target);
  const started = await startBackfill(services.db, actor.id);
  if (started.fresh && options.queue) await enqueueBackfill(services.db, started.backfill.id);
  return started;
}
