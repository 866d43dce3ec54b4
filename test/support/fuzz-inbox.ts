import { monitorEventLoopDelay } from "node:perf_hooks";
import fc from "fast-check";
import { MAX_INBOX_BYTES } from "../../server/http/inbox-guard.ts";
import type { Authentic } from "./db-snapshot.ts";
import {
  type Built,
  build,
  type FuzzCase,
  type Hostile,
  KINDS,
  type Mutation,
  SHAPES,
  type Signing,
  type Tamper,
  TEXT_FORMS,
  URI_REFS,
} from "./fuzz-build.ts";
import type { FuzzWorld, Who } from "./fuzz-target.ts";

/**
 * fast-check arbitraries for hostile inbox requests (mutations of valid signed activities, see
 * fuzz-build.ts for how each is sent) and a runner that posts them to a running instance.
 */

const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

/** Characters that trip parsers, databases and renderers. */
const SPECIALS = [
  "\u0000",
  "\ud800",
  "\udfff",
  "\u202e",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u2028",
  "\u0301",
  "\u{1d54f}",
  "\u{10ffff}",
  "\ufdfa",
  "<",
  '"',
  "\\",
  "%00",
  "../",
];

const LITERALS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  2 ** 53 + 2,
  "",
  " ",
  "not a url",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "http://",
  "http://[::1",
  "https://www.w3.org/ns/activitystreams#Public",
  "as:Public",
  "_:b0",
  "urn:uuid:00000000-0000-0000-0000-000000000000",
  "file:///etc/passwd",
  "http://169.254.169.254/latest/meta-data/",
  "2024-02-30T25:61:00Z",
  "9999-12-31T23:59:59Z",
  "-271821-04-20T00:00:00Z",
  "<script>alert(1)</script><img src=x onerror=alert(1)>",
  [],
  [[]],
  {},
  [null],
  { "@value": 5 },
  { "@value": "x", "@language": "zz-Latn-x-private" },
  { "@id": "_:x" },
  { "@type": "@json", "@value": { a: 1 } },
  { "@list": [1, 2] },
  { "@set": [] },
  { id: 5 },
  { type: 5 },
  { type: ["Note", "Person"] },
  { type: "Link", href: "javascript:alert(1)" },
  { en: 5, lt: null },
  { "": "" },
  { __proto__: null, constructor: { prototype: 1 } },
];

const weirdString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SPECIALS), maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...SPECIALS, "a", "b", "é", "ž", "ą"), minLength: 1, maxLength: 60 }),
);

export const hostileValue: fc.Arbitrary<Hostile> = weighted<Hostile>(
  [5, fc.constantFrom(...LITERALS).map((json) => ({ json }))],
  [3, weirdString.map((json) => ({ json }))],
  [5, fc.constantFrom(...URI_REFS).map((uri) => ({ uri }))],
  [2, fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json }))],
  // Within and beyond the 1 MB limit (beyond it only by a little: bigger is no harder for the
  // server, which refuses on Content-Length, but slow for the fuzzer to build and send).
  [
    1,
    fc.record({
      huge: fc.constantFrom("string" as const, "html" as const, "path" as const),
      size: fc.constantFrom(999, 20_000, 65_536, 300_000, 900_000, 1_100_000, 1_500_000),
    }),
  ],
  // Array sizes in elements of ~40 bytes: around the 1,000-element limit, and over 1 MB.
  [
    1,
    fc.record({
      huge: fc.constant("array" as const),
      size: fc.constantFrom(999, 1000, 1001, 20_000, 30_000),
    }),
  ],
  [
    1,
    fc.record({ deep: fc.constantFrom(30, 31, 32, 33, 40, 3000), via: fc.constantFrom("array", "object") }),
  ],
  [1, fc.constant({ embed: "activity" as const })],
);

/** Every field an activity or its object may carry, at the top level and one level down. */
const PATHS = [
  "@context",
  "id",
  "type",
  "object",
  "to",
  "cc",
  "published",
  "audience",
  "signature",
  "target",
  ...[
    "id",
    "type",
    "attributedTo",
    "content",
    "contentMap",
    "name",
    "summary",
    "published",
    "updated",
    "url",
    "tag",
    "attachment",
    "inReplyTo",
    "replies",
    "sensitive",
    "to",
    "icon",
    "image",
    "startTime",
    "location",
    "oneOf",
    "mediaType",
    "preferredUsername",
    "inbox",
    "endpoints",
    "publicKey",
    "object",
    "actor",
    "@context",
  ].map((p) => `object.${p}`),
  "object.tag.0",
  "object.attachment.url",
];

export const mutation: fc.Arbitrary<Mutation> = weighted<Mutation>(
  [9, fc.record({ path: fc.constantFrom(...PATHS), value: hostileValue })],
  [1, fc.record({ path: fc.constantFrom(...PATHS), drop: fc.constant(true as const) })],
);

const who = fc.constantFrom<Who>("peer", "mallory");
const spec = fc.constantFrom("draft-cavage-http-signatures-12" as const, "rfc9421" as const);
const skew = weighted<number>(
  [14, fc.constant(0)],
  [2, fc.integer({ min: -50, max: 50 })],
  // Beyond Fedify's ±1 h window (a margin keeps slow runs from straddling it).
  [2, fc.oneof(fc.integer({ min: 65, max: 60 * 24 * 400 }), fc.integer({ min: -60 * 24 * 400, max: -65 }))],
);
const garbageHeader = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 80 }),
  fc.constantFrom(
    'keyId="http://127.0.0.1:9/users/x#main-key",headers="(request-target) host date",signature="AAAA"',
    'keyId="",signature=""',
    'keyId="javascript:alert(1)",algorithm="hs2019",headers="date",signature="=="',
    'sig1=("@method" "@target-uri");keyid="http://127.0.0.1:9/k";alg="ed25519";created=1',
    "sig1=();created=99999999999999999999",
  ),
);
const signing: fc.Arbitrary<Signing> = weighted<Signing>(
  [16, fc.record({ mode: fc.constant("sign" as const), by: who, spec, skewMinutes: skew })],
  [3, fc.record({ mode: fc.constant("none" as const), by: who })],
  [1, fc.record({ mode: fc.constant("garbage" as const), by: who, header: garbageHeader })],
);
const tamper: fc.Arbitrary<Tamper | null> = weighted<Tamper | null>(
  [17, fc.constant(null)],
  [1, fc.record({ body: mutation })],
  [1, fc.constant({ body: "whitespace" as const })],
  [
    1,
    fc.record({
      header: fc.constantFrom("date", "garbleDate", "digest", "signature", "keyId") as fc.Arbitrary<"date">,
    }),
  ],
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  kind: fc.constantFrom(...KINDS),
  actor: weighted<FuzzCase["actor"]>([16, fc.constant("self")], [2, fc.constant("other")], [1, hostileValue]),
  ref: fc.nat(400),
  mutations: weighted<Mutation[]>(
    [4, fc.constant([])],
    [5, fc.array(mutation, { minLength: 1, maxLength: 4 })],
  ),
  shape: weighted([6, fc.constant(null)], [1, fc.constantFrom(...SHAPES)]),
  text: weighted<FuzzCase["text"]>([8, fc.constant("json")], [1, fc.constantFrom(...TEXT_FORMS)]),
  signing,
  tamper,
  target: weighted<FuzzCase["target"]>(
    [11, fc.constant("shared")],
    [7, fc.constant("personal")],
    [1, fc.constant("unknown")],
    [1, fc.constant("slash")],
  ),
  contentType: fc.constantFrom(
    "application/activity+json",
    "application/activity+json",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    "application/json",
    "text/plain",
    null,
  ),
  chunked: weighted([9, fc.constant(false)], [1, fc.constant(true)]),
});

export interface FuzzStats {
  tried: number;
  byStatus: Record<string, number>;
  fiveXx: number;
  /** Requests certain to fail verification that were nevertheless accepted (2xx). */
  forgedAccepted: number;
  replays: number;
  unhandledRejections: number;
  /** The first few offending requests (5xx, accepted forgeries, network errors), described. */
  failures: string[];
  /** Accepted authentic activities, by actor: what may explain database changes. */
  authentic: Authentic;
  /** Requests resent once after a connection reset (a keep-alive race, as real senders retry). */
  retried: number;
  /** The slowest answers (a stalled event loop shows here), and the longest stall seen. */
  slowest: { ms: number; label: string }[];
  loopDelayMaxMs: number;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  concurrency?: number;
  /** Every so often resend an earlier request, byte for byte and with its headers. */
  replayEvery?: number;
  onProgress?: (stats: FuzzStats) => void;
}

async function send(built: Built, stats: FuzzStats): Promise<string> {
  const status = await sendOnce(built);
  if (!/^error:TypeError:(ECONNRESET|UND_ERR_SOCKET)$/.test(status)) return status;
  stats.retried++;
  return sendOnce(built);
}

async function sendOnce(built: Built): Promise<string> {
  const chunks = built.body;
  const body = built.chunked
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < chunks.length; i += 65_536) controller.enqueue(chunks.slice(i, i + 65_536));
          controller.close();
        },
      })
    : chunks;
  try {
    const response = await fetch(built.url, {
      method: "POST",
      headers: built.headers,
      body,
      duplex: "half",
      signal: AbortSignal.timeout(60_000),
    } as RequestInit);
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    // A body over the limit is refused (413) before it is read; the server may close the
    // connection while the upload still runs, and the client then sees a reset, not the 413.
    if (
      built.body.length > MAX_INBOX_BYTES &&
      /^(EPIPE|ECONNRESET|UND_ERR_SOCKET)$/.test(cause?.code ?? "")
    ) {
      return "closed:over-limit";
    }
    return `error:${(error as Error).name}:${cause?.code ?? String(cause ?? "")}`.slice(0, 120);
  }
}

/** Posts `runs` generated requests to `world.home` and tallies what came back. */
export async function runFuzz(world: FuzzWorld, options: FuzzOptions): Promise<FuzzStats> {
  const { runs, seed, concurrency = 4, replayEvery = 20 } = options;
  const stats: FuzzStats = {
    tried: 0,
    byStatus: {},
    fiveXx: 0,
    forgedAccepted: 0,
    replays: 0,
    unhandledRejections: 0,
    failures: [],
    authentic: new Map(),
    retried: 0,
    slowest: [],
    loopDelayMaxMs: 0,
  };
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const onRejection = (reason: unknown) => {
    stats.unhandledRejections++;
    if (stats.failures.length < 20) stats.failures.push(`unhandled rejection: ${String(reason)}`);
  };
  process.on("unhandledRejection", onRejection);
  const sent: Built[] = []; // a ring of recent requests, for replays
  let next = 0;
  const post = async (built: Built, label: () => string) => {
    const started = performance.now();
    const status = await send(built, stats);
    const ms = Math.round(performance.now() - started);
    if (stats.slowest.length < 5 || ms > (stats.slowest.at(-1)?.ms ?? 0)) {
      stats.slowest = [...stats.slowest, { ms, label: label().slice(0, 300) }]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5);
    }
    record(built, status, label);
  };
  const record = (built: Built, status: string, label: () => string) => {
    stats.tried++;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const accepted = status.startsWith("2");
    const bad = status.startsWith("5") || status.startsWith("error") || (built.forged && accepted);
    if (status.startsWith("5")) stats.fiveXx++;
    if (built.forged && accepted) stats.forgedAccepted++;
    if (bad && stats.failures.length < 20) stats.failures.push(`${status} ${label()}`);
    if (built.authentic && accepted) {
      const text = new TextDecoder().decode(built.body);
      const list = stats.authentic.get(built.signer) ?? [];
      list.push({ type: (JSON.parse(text) as { type?: unknown }).type, text });
      stats.authentic.set(built.signer, list);
    }
  };
  // Batches of 50 cases per seed: deterministic for a seed, and generated only when reached.
  const batches = new Map<number, FuzzCase[]>();
  const caseAt = (n: number): FuzzCase => {
    const start = n - (n % 50);
    let batch = batches.get(start);
    if (!batch) {
      batch = fc.sample(fuzzCase, { numRuns: 50, seed: seed + start });
      batches.set(start, batch);
      batches.delete(start - 50 * concurrency);
    }
    return batch[n - start] as FuzzCase;
  };
  async function worker(): Promise<void> {
    for (;;) {
      const n = next++;
      if (n >= runs) return;
      if (n % replayEvery === replayEvery - 1 && sent.length > 0) {
        const replayed = sent[(n * 31) % sent.length] as Built;
        stats.replays++;
        await post(replayed, () => `replay of ${replayed.url}`);
        continue;
      }
      const c = caseAt(n);
      const built = await build(world, c, n);
      if (built.body.length <= 64 * 1024) {
        if (sent.length >= 64) sent.splice(n % 64, 1);
        sent.push(built);
      }
      await post(built, () => `case #${n} (seed ${seed}): ${JSON.stringify(c).slice(0, 600)}`);
      options.onProgress?.(stats);
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    // Rejections surface on a later tick: give them one before we stop listening.
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off("unhandledRejection", onRejection);
    loop.disable();
    stats.loopDelayMaxMs = Math.round(loop.max / 1e6);
  }
  return stats;
}
