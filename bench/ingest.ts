/**
 * npm run bench:ingest — a hub (INSTANCE_ROLE=hub, NODE_TYPE=all, its own process from the
 * bundle) on a fresh database receives signed `Create(Note)` activities from simulated source
 * instances on loopback (fake actors with RSA keys, served by an HTTP server per instance in this
 * process), posted to its shared inbox as fast as it answers. Prints one JSON line: activities/s
 * from the first POST until every activity is stored as an item, inbox p50/p95 latency, and the
 * hub's peak RSS, with the targets of DESIGN.md §6. Progress goes to stderr.
 *
 * Env: BENCH_DATABASE_URL (admin URL of the PostgreSQL to create the database on),
 * BENCH_ACTIVITIES (default 4000), BENCH_INSTANCES (5), BENCH_ACTORS (4 per instance),
 * BENCH_CONCURRENCY (16 POSTs in flight), BENCH_TIMEOUT_S (300).
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { ensureBuilt } from "../scripts/build.ts";
import type { Database } from "../server/db/client.ts";
import { uuidv7 } from "../server/db/ids.ts";
import { following, remoteActors } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { freePort } from "../test/support/ports.ts";
import { createBenchDatabase, postgresCpuSeconds } from "./fanout-db.ts";
import { startServers } from "./fanout-servers.ts";
import { peakRssMb } from "./fanout-targets.ts";

const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 4000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 5);
const ACTORS = Number(process.env.BENCH_ACTORS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGETS = { activitiesPerSecond: 400, p95Ms: 50, rssMb: 512 };
const log = (message: string) => process.stderr.write(`[bench:ingest] ${message}\n`);

interface FakeActor {
  iri: string;
  keys: CryptoKeyPair;
  document: unknown;
}

async function pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("spki", key)).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)?.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** A source instance: an HTTP server on loopback serving its actors (and their keys). */
async function startSource(index: number): Promise<{ server: Server; actors: FakeActor[] }> {
  const documents = new Map<string, unknown>();
  const server = createServer((request, response) => {
    const body = documents.get(request.url?.split("#")[0] ?? "");
    if (request.method === "POST") return void response.writeHead(202).end();
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { "Content-Type": "application/activity+json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actors: FakeActor[] = [];
  for (let a = 0; a < ACTORS; a++) {
    const path = `/users/library${index}_${a}`;
    const iri = `${origin}${path}`;
    const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const document = {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: iri,
      type: "Organization",
      preferredUsername: `library${index}_${a}`,
      name: `Library ${index}.${a}`,
      inbox: `${iri}/inbox`,
      indexable: true,
      publicKey: { id: `${iri}#main-key`, owner: iri, publicKeyPem: await pem(keys.publicKey) },
    };
    documents.set(path, document);
    actors.push({ iri, keys, document });
  }
  return { server, actors };
}

const WORDS =
  "biblioteka skaitymas knyga renginys seminaras mokymai bibliotēka grāmata lasīšana library reading".split(
    " ",
  );

/**
 * Mastodon's context for a status: "Hashtag" is not in the ActivityStreams context, so a sender
 * that names it without defining it sends a tag every JSON-LD reader drops.
 */
const MASTODON_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    ostatus: "http://ostatus.org#",
    atomUri: "ostatus:atomUri",
    inReplyToAtomUri: "ostatus:inReplyToAtomUri",
    conversation: "ostatus:conversation",
    sensitive: "as:sensitive",
    toot: "http://joinmastodon.org/ns#",
    votersCount: "toot:votersCount",
    Hashtag: "as:Hashtag",
  },
];

/** A signed Create(Note) by `actor` as Mastodon sends one, ready to send (signed before the clock starts). */
async function signedCreate(actor: FakeActor, n: number, inbox: URL): Promise<Request> {
  const id = `${actor.iri}/notes/${n}`;
  const words = Array.from({ length: 40 }, (_, i) => WORDS[(n * 7 + i * 3) % WORDS.length]).join(" ");
  const body = JSON.stringify({
    "@context": MASTODON_CONTEXT,
    id: `${id}/activity`,
    type: "Create",
    actor: actor.iri,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: {
      id,
      type: "Note",
      attributedTo: actor.iri,
      content: `<p>Note ${n}: ${words}</p><script>alert(${n})</script>`,
      published: new Date().toISOString(),
      tag: [{ type: "Hashtag", name: `#tag${n % 20}`, href: `${actor.iri}/tags/${n % 20}` }],
      to: ["https://www.w3.org/ns/activitystreams#Public"],
    },
  });
  const request = new Request(inbox, {
    method: "POST",
    headers: { "Content-Type": "application/activity+json" },
    body,
  });
  return signRequest(request, actor.keys.privateKey, new URL(`${actor.iri}#main-key`));
}

/** CPU time (user + system) of a process so far, in ms (/proc/<pid>/stat, 100 ticks a second). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Transactions of the bench's database so far (each statement outside a transaction is one). */
async function transactions(sql: Database["sql"]) {
  const [row] = await sql<{ n: string }[]>`
    SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()`;
  return Number(row?.n ?? 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  const bench = await createBenchDatabase(ADMIN_URL);
  const sources = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => startSource(i)));
  const actors = sources.flatMap((s) => s.actors);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "baltic-bench-ingest-"));
  let hub: Awaited<ReturnType<typeof startServers>> | undefined;
  try {
    // The hub follows every fake actor (accepted), as if each had answered its Follow.
    const account = await createAccount(bench.database.db, { username: "hub", name: "Bench hub" });
    for (const actor of actors) {
      const id = uuidv7();
      await bench.database.db.insert(remoteActors).values({
        id,
        iri: actor.iri,
        type: "Organization",
        handle: `${new URL(actor.iri).pathname.split("/").pop()}@${new URL(actor.iri).host}`,
        inboxUrl: `${actor.iri}/inbox`,
      });
      await bench.database.db
        .insert(following)
        .values({ accountId: account.id, actorId: id, followIri: `${actor.iri}#follow`, state: "accepted" });
    }
    await ensureBuilt();
    const env = {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: bench.url,
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ADDRESS: "true",
      SECRET_KEY: "x".repeat(32),
      INSTANCE_ROLE: "hub",
      NODE_TYPE: "all",
      // The bench's senders all come from 127.0.0.1: the per-address limits would cap it.
      INBOX_RATE_LIMIT: "10000000",
      INBOX_DOMAIN_RATE_LIMIT: "10000000",
      BALTIC_BUNDLE_BUILT: "1",
    };
    hub = await startServers(1, env, "Queue worker started", "hub");
    const pid = hub.pids[0] ?? 0;
    const inbox = new URL("/inbox", env.PUBLIC_URL);
    log(`signing ${ACTIVITIES} activities from ${actors.length} actors on ${INSTANCES} instances`);
    const requests: Request[] = [];
    for (let n = 0; n < ACTIVITIES; n++) {
      requests.push(await signedCreate(actors[n % actors.length] as FakeActor, n, inbox));
    }
    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    const hubCpu0 = cpuMsOf(pid);
    const ownCpu0 = ownCpuMs();
    const xacts0 = await transactions(bench.database.sql);
    const postgresCpu0 = await postgresCpuSeconds(bench.database);
    const started = performance.now();
    const sender = async () => {
      while (next < requests.length) {
        const request = requests[next++] as Request;
        const t0 = performance.now();
        const response = await fetch(request);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 202) failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const postedSeconds = (performance.now() - started) / 1000;
    log(`posted in ${postedSeconds.toFixed(1)} s (${failed} not 202); waiting until all are stored`);
    let stored = 0;
    while (performance.now() - started < TIMEOUT_MS) {
      const [row] = await bench.database.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM items WHERE remote_actor_id IS NOT NULL`;
      stored = row?.n ?? 0;
      if (stored >= ACTIVITIES) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const hubCpuMs = cpuMsOf(pid) - hubCpu0;
    const benchCpuMs = ownCpuMs() - ownCpu0;
    const postgresCpu1 = await postgresCpuSeconds(bench.database);
    const postgresCpuMs =
      postgresCpu0 === undefined || postgresCpu1 === undefined
        ? Number.NaN
        : (postgresCpu1 - postgresCpu0) * 1000;
    // Statistics reach pg_stat_database within a second or so of each backend's last commit.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const xacts = (await transactions(bench.database.sql)) - xacts0;
    // Every note carries a hashtag: a count short of `stored` means the hub dropped them.
    const [tagRow] = await bench.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM items WHERE remote_actor_id IS NOT NULL AND tags <> '[]'`;
    const tagged = tagRow?.n ?? 0;
    latencies.sort((a, b) => a - b);
    const figures = {
      bench: "ingest",
      activities: ACTIVITIES,
      stored,
      tagged,
      failed,
      activitiesPerSecond: Math.round(stored / seconds),
      seconds: Number(seconds.toFixed(2)),
      inboxP50Ms: Number(percentile(latencies, 50).toFixed(1)),
      inboxP95Ms: Number(percentile(latencies, 95).toFixed(1)),
      peakRssMb: peakRssMb(pid),
      // Where the 2 cores went: the hub process (both threads), this process (the senders and
      // the polling), PostgreSQL's backends, and its transactions per activity (the bench's
      // polling included).
      hubCpuMsPerActivity: Number((hubCpuMs / ACTIVITIES).toFixed(2)),
      benchCpuMsPerActivity: Number((benchCpuMs / ACTIVITIES).toFixed(2)),
      // The backends serving the bench's database (PostgreSQL on this machine only, else null).
      postgresCpuMsPerActivity: Number((postgresCpuMs / ACTIVITIES).toFixed(2)),
      transactionsPerActivity: Number((xacts / ACTIVITIES).toFixed(1)),
      targets: TARGETS,
    };
    const ok =
      stored >= ACTIVITIES &&
      tagged >= stored &&
      figures.activitiesPerSecond >= TARGETS.activitiesPerSecond &&
      figures.inboxP95Ms < TARGETS.p95Ms &&
      figures.peakRssMb <= TARGETS.rssMb;
    console.log(JSON.stringify({ ...figures, ok }));
    if (stored < ACTIVITIES || tagged < stored) process.exitCode = 1;
  } finally {
    await hub?.stop();
    for (const source of sources) source.server.close();
    await bench.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
