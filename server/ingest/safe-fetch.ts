import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { getLogger } from "@logtape/logtape";

// The one SSRF-safe fetcher (DESIGN §5 rule 5). Every outgoing request for remote data goes here.

const logger = getLogger(["baltic", "ingest", "safe-fetch"]);

const USER_AGENT = "BalticLibraries/0.1";
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Any failure of a safe fetch (timeout, size cap, refused URL). */
export class SafeFetchError extends Error {
  override name = "SafeFetchError";
}

/** The host has no address (ENOTFOUND and friends): it does not exist, or not yet. */
export class UnresolvableHostError extends SafeFetchError {
  override name = "UnresolvableHostError";
}

/** The URL or an address it resolves to is not allowed (scheme, credentials, private address, redirects). */
export class UnsafeUrlError extends SafeFetchError {
  override name = "UnsafeUrlError";
}

// ---------------------------------------------------------------- address classification

function parseIPv4(ip: string): number[] | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** Parses an IPv6 address into eight 16-bit groups (handles `::` and an embedded dotted quad). */
function parseIPv6(ip: string): number[] | null {
  let text = ip;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    // Rewrite an embedded dotted quad as two hex groups, then parse as plain hex.
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 == null) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] | null => {
    if (s === "") return [];
    const groups = s
      .split(":")
      .map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN));
    return groups.some(Number.isNaN) ? null : groups;
  };
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (head == null || rest == null) return null;
  const explicit = [...head, ...rest];
  if (halves.length === 1) return explicit.length === 8 ? explicit : null;
  if (explicit.length > 7) return null;
  return [...head, ...new Array<number>(8 - explicit.length).fill(0), ...rest];
}

function isPrivateIPv4([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return true;
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // CGNAT
    (a === 169 && b === 254) || // link-local (cloud metadata lives here)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved 240/4 and broadcast
  );
}

function isPrivateIPv6(g: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const embeddedV4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::, ::1 and IPv4-compatible ::a.b.c.d (their embedded v4 lands in 0/8 for :: and ::1).
  if (zeroPrefix && g5 === 0) return isPrivateIPv4(embeddedV4);
  // IPv4-mapped ::ffff:a.b.c.d — the socket reaches the embedded v4 address.
  if (zeroPrefix && g5 === 0xffff) return isPrivateIPv4(embeddedV4);
  // NAT64 (64:ff9b::/96, 64:ff9b:1::/48): the gateway could reach anything, so never allowed.
  if (g0 === 0x64 && g1 === 0xff9b) return true;
  // Only global unicast 2000::/3 is public; this covers fc00::/7, fe80::/10, ff00::/8, 100::/64, fec0::/10.
  if ((g0 & 0xe000) !== 0x2000) return true;
  // 2001::/23 IETF protocol assignments, incl. Teredo 2001::/32 (tunnels to arbitrary v4).
  if (g0 === 0x2001 && g1 < 0x200) return true;
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x2002) return true; // 6to4 tunnels to an embedded v4 address
  if (g0 === 0x3fff && g1 < 0x1000) return true; // documentation 3fff::/20
  return false;
}

/**
 * True when `ip` must not be contacted: loopback, private, link-local, reserved, documentation,
 * multicast, or a v6 form that tunnels to such a v4 address. Unparseable input counts as private.
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, ""); // brackets and IPv6 zone id
  const version = isIP(bare);
  if (version === 4) return isPrivateIPv4(parseIPv4(bare) ?? []);
  if (version === 6) {
    const groups = parseIPv6(bare);
    return groups == null || isPrivateIPv6(groups);
  }
  return true;
}

// ---------------------------------------------------------------- fetching

export interface SafeFetchOptions {
  /** Only for tests and the local demo (ALLOW_PRIVATE_ADDRESS=true). */
  allowPrivateAddress?: boolean;
  /** Tests only: private addresses for which this returns true are allowed anyway. */
  isAllowedAddress?: (ip: string) => boolean;
  /** Whole operation, all redirects and the body included. Default 10 000. */
  timeoutMs?: number;
  /** Decoded body size cap. Default 5 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  headers?: Record<string, string>;
  method?: "GET" | "HEAD";
  accept?: string;
  /** Injectable DNS for tests; default resolves all addresses with node:dns. */
  lookup?: (hostname: string) => Promise<string[]>;
}

export interface SafeResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
  text(): string;
  json(): unknown;
}

async function defaultLookup(hostname: string): Promise<string[]> {
  try {
    const results = await dnsLookup(hostname, { all: true, verbatim: true });
    return results.map((r) => r.address);
  } catch (error) {
    // ENOTFOUND and friends: one clear error type for callers, with the host named.
    throw new UnresolvableHostError(
      `cannot resolve ${hostname}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/**
 * Checks the URL (scheme, credentials, every resolved address) and returns the one validated
 * address a socket must connect to. Also used on its own to vet URLs we will contact later, such
 * as remote inboxes.
 */
export async function checkUrl(url: URL, options: SafeFetchOptions): Promise<string> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UnsafeUrlError(`refusing scheme ${url.protocol} in ${url.href}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new UnsafeUrlError(`refusing URL with credentials for host ${url.hostname}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") throw new UnsafeUrlError(`refusing URL without host: ${url.href}`);
  const addresses = isIP(host) ? [host] : await (options.lookup ?? defaultLookup)(host);
  if (addresses.length === 0) throw new UnsafeUrlError(`no address found for ${host}`);
  if (!options.allowPrivateAddress) {
    // Refuse if ANY address is private: the OS could pick any of them.
    for (const ip of addresses) {
      if (isPrivateAddress(ip) && !options.isAllowedAddress?.(ip)) {
        throw new UnsafeUrlError(`refusing private address ${ip}${ip === host ? "" : ` (for ${host})`}`);
      }
    }
  }
  return addresses[0]!;
}

/** A socket lookup that always answers with the address already checked (defeats DNS rebinding). */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

// pipeline() forwards errors and destroys every stage; its callback has nothing left to do.
const noop = (): void => {};

function decoderFor(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  switch (encoding) {
    case "":
    case "identity":
      return res;
    case "gzip":
    case "x-gzip":
      return pipeline(res, zlib.createGunzip(), noop);
    case "deflate":
      return pipeline(res, zlib.createInflate(), noop);
    case "br":
      return pipeline(res, zlib.createBrotliDecompress(), noop);
    default:
      throw new SafeFetchError(`unsupported content-encoding ${encoding}`);
  }
}

interface Hop {
  res: http.IncomingMessage;
  req: http.ClientRequest;
}

function request(
  url: URL,
  address: string,
  headers: Record<string, string>,
  method: string,
  signal: AbortSignal,
) {
  return new Promise<Hop>((resolve, reject) => {
    const send = url.protocol === "https:" ? https.request : http.request;
    const req = send(url, {
      method,
      headers,
      signal,
      lookup: pinnedLookup(address),
      // A fresh agent: no pooled socket from a call with other address rules is reused.
      agent: false,
    });
    req.once("response", (res) => resolve({ req, res }));
    req.once("error", reject);
    req.end();
  });
}

async function readBody(hop: Hop, maxBytes: number): Promise<Uint8Array> {
  const length = Number(hop.res.headers["content-length"]);
  if (Number.isFinite(length) && length > maxBytes) {
    throw new SafeFetchError(`response larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of decoderFor(hop.res)) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) {
      throw new SafeFetchError(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

function toHeaders(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header value Headers rejects is dropped rather than failing the fetch.
    }
  }
  return headers;
}

function charsetOf(headers: Headers): string {
  const match = /charset\s*=\s*"?([\w.:-]+)/i.exec(headers.get("content-type") ?? "");
  return match?.[1] ?? "utf-8";
}

function makeResponse(url: string, status: number, headers: Headers, body: Uint8Array): SafeResponse {
  const text = (): string => {
    try {
      return new TextDecoder(charsetOf(headers)).decode(body);
    } catch {
      return new TextDecoder("utf-8").decode(body); // unknown charset label
    }
  };
  return { url, status, headers, body, text, json: () => JSON.parse(text()) as unknown };
}

async function run(start: URL, options: SafeFetchOptions, signal: AbortSignal): Promise<SafeResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const method = options.method ?? "GET";
  const headers: Record<string, string> = {
    "user-agent": USER_AGENT,
    "accept-encoding": "gzip, deflate, br",
  };
  for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = value;
  if (options.accept != null) headers.accept = options.accept;
  delete headers.host; // Host always follows the URL being fetched.

  let url = start;
  for (let redirects = 0; ; redirects++) {
    const address = await checkUrl(url, options);
    logger.debug("Fetching {url} via {address}", { url: url.href, address });
    const hop = await request(url, address, headers, method, signal);
    const location = hop.res.headers.location;
    if (REDIRECT_STATUSES.has(hop.res.statusCode ?? 0) && location) {
      hop.res.resume(); // discard the redirect body
      hop.req.destroy();
      if (redirects >= maxRedirects) {
        throw new UnsafeUrlError(`too many redirects (more than ${maxRedirects})`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new UnsafeUrlError(`refusing invalid redirect location ${location.slice(0, 200)}`);
      }
      // Like fetch: credentials (and HTTP signatures) are not forwarded to another origin.
      if (next.origin !== url.origin) {
        for (const name of ["authorization", "cookie", "signature", "signature-input", "digest"]) {
          delete headers[name];
        }
      }
      url = next;
      continue;
    }
    let body: Uint8Array;
    try {
      body = method === "HEAD" ? new Uint8Array() : await readBody(hop, maxBytes);
    } finally {
      hop.req.destroy(); // also stops an oversized or undecodable download
    }
    return makeResponse(url.href, hop.res.statusCode ?? 0, toHeaders(hop.res), body);
  }
}

/**
 * Fetches a remote http(s) resource without reaching private networks: every hop's addresses are
 * checked after DNS and the socket connects to the checked address. Non-2xx responses are returned.
 */
export async function safeFetch(url: string | URL, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  let start: URL;
  try {
    start = new URL(url);
  } catch {
    throw new UnsafeUrlError(`refusing invalid URL ${String(url).slice(0, 200)}`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new SafeFetchError(`timed out after ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  const work = run(start, options, controller.signal);
  work.catch(() => {}); // after a timeout, the aborted request's error is expected and ignored
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof UnsafeUrlError) {
      logger.info("Refused {url}: {message}", { url: start.href, message: error.message });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
