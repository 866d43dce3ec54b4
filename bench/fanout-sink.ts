/**
 * The outside world for bench/fanout.ts: N fake remote instances, each one HTTP server on a
 * loopback port with a shared inbox `/inbox` that answers 202. They stand for the remote servers
 * we cannot reach from here. It runs as a child process so its work does not share our event loop
 * (or our RSS figure), as real remote servers would not.
 *
 * Every SAMPLE_EVERY-th request has its HTTP signature verified with Fedify's own verifier before
 * the 202, fetching our actor's key over loopback like a real peer would (each fake instance
 * keeps its own key cache, so each fetches our key at most once).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getDocumentLoader, type KeyCache, verifyRequestDetailed } from "@fedify/fedify";

export interface ActivityStats {
  deliveries: number;
  /** Distinct fake instances (shared inboxes) that got this activity. */
  inboxes: number;
  firstAt: number;
  lastAt: number;
}

export type SinkReply =
  | { type: "ready"; ports: number[] }
  | {
      type: "stats";
      requests: number;
      verified: number;
      failed: number;
      failures: string[];
      /** CPU seconds this process (the fake outside world) has used. */
      cpuSeconds: number;
      activities: Record<string, ActivityStats>;
    };

export type SinkCommand = { type: "stats" } | { type: "stop" };

const INSTANCES = Number(process.env.SINK_INSTANCES ?? 500);
const SAMPLE_EVERY = Number(process.env.SINK_SAMPLE_EVERY ?? 25);

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
let requests = 0;
let verified = 0;
let failed = 0;
const failures: string[] = [];
const activities = new Map<
  string,
  { deliveries: number; ports: Set<number>; firstAt: number; lastAt: number }
>();

type CachedKey = Parameters<KeyCache["set"]>[1];

function keyCacheFor(): KeyCache {
  const keys = new Map<string, CachedKey>();
  return {
    get: async (keyId) => keys.get(keyId.href),
    set: async (keyId, key) => {
      // Do not remember failures: a transient fetch error should not fail every later sample.
      if (key != null) keys.set(keyId.href, key);
    },
  };
}

function send(reply: SinkReply): void {
  process.send?.(reply);
}

function toRequest(port: number, req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new Request(`http://127.0.0.1:${port}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: new Uint8Array(body),
  });
}

async function verify(port: number, cache: KeyCache, req: IncomingMessage, body: Buffer): Promise<void> {
  const request = toRequest(port, req, body);
  // Fedify knocks with RFC 9421 first and falls back to draft-cavage; check whichever was used.
  const spec = request.headers.has("signature-input") ? "rfc9421" : "draft-cavage-http-signatures-12";
  try {
    const result = await verifyRequestDetailed(request, {
      documentLoader,
      contextLoader: documentLoader,
      keyCache: cache,
      spec,
    });
    if (result.verified) {
      verified++;
    } else {
      failed++;
      failures.push(`${spec} on :${port}: ${JSON.stringify(result.reason)}`);
    }
  } catch (error) {
    failed++;
    failures.push(`${spec} on :${port}: ${String(error)}`);
  }
}

function activityIdOf(body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString("utf8")) as { id?: unknown };
    return typeof doc.id === "string" ? doc.id : "(no id)";
  } catch {
    return "(not JSON)";
  }
}

async function handle(port: number, cache: KeyCache, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== "POST" || req.url !== "/inbox") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const n = ++requests;
  if (n % SAMPLE_EVERY === 0) await verify(port, cache, req, body);
  const id = activityIdOf(body);
  const now = Date.now();
  let entry = activities.get(id);
  if (!entry) {
    entry = { deliveries: 0, ports: new Set(), firstAt: now, lastAt: now };
    activities.set(id, entry);
  }
  entry.deliveries++;
  entry.ports.add(port);
  entry.lastAt = now;
  res.writeHead(202).end();
}

function stats(): SinkReply {
  const out: Record<string, ActivityStats> = {};
  for (const [id, e] of activities) {
    out[id] = { deliveries: e.deliveries, inboxes: e.ports.size, firstAt: e.firstAt, lastAt: e.lastAt };
  }
  const cpu = process.cpuUsage();
  return {
    type: "stats",
    requests,
    verified,
    failed,
    failures: failures.slice(0, 10),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    activities: out,
  };
}

const servers: Server[] = [];
const ports: number[] = [];
for (let i = 0; i < INSTANCES; i++) {
  const cache = keyCacheFor();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  server.on("request", (req, res) => {
    handle(port, cache, req, res).catch((error: unknown) => {
      failures.push(`handler on :${port}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  servers.push(server);
  ports.push(port);
}

process.on("message", (command: SinkCommand) => {
  if (command.type === "stats") send(stats());
  else if (command.type === "stop") {
    for (const server of servers) server.closeAllConnections();
    Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))).then(() => process.exit(0));
  }
});
// Die with the parent: never leave 500 listening servers behind.
process.on("disconnect", () => process.exit(0));
send({ type: "ready", ports });
