import { signRequest } from "@fedify/fedify";
import { toInstant } from "../../server/federation/temporal.ts";
import { type FuzzWorld, PUBLIC, type Who } from "./fuzz-target.ts";

/**
 * What fuzz-inbox.ts generates is a small, printable description of one hostile request; this
 * file turns it into the bytes and headers sent. (Huge values are described by their size and
 * built only here, so a generated batch stays small.)
 */
export const KINDS = ["Create", "Update", "Delete", "Like", "Announce", "Follow", "Undo"] as const;
export type Kind = (typeof KINDS)[number];

export const URI_REFS = [
  "peer",
  "mallory",
  "lib",
  "homeItem",
  "seeded",
  "undelivered",
  "dead",
  "homeOrigin",
  "missing",
  "self",
  "object",
] as const;
export type UriRef = (typeof URI_REFS)[number];

export type Hostile =
  | { json: unknown }
  | { uri: UriRef }
  | { huge: "string" | "html" | "path" | "array"; size: number }
  | { deep: number; via: "array" | "object" }
  | { embed: "activity" };

export type Mutation = { path: string; value: Hostile } | { path: string; drop: true };

export const SHAPES = [
  "objectIsActivity",
  "objectIdIsActivityId",
  "mutualIds",
  "undoChain",
  "selfReply",
  "objectIsActor",
  "repliesEmbedActivity",
  "contextDead",
  "contextHome",
  "contextRemoteActor",
  "contextInline",
] as const;
export type Shape = (typeof SHAPES)[number];

export const TEXT_FORMS = [
  "pretty",
  "bom",
  "truncated",
  "trailing",
  "notObject",
  "duplicateKey",
  "invalidUtf8",
  "rawSurrogate",
  "rawNul",
  "deepRaw",
  "hugeNumber",
] as const;
export type TextForm = "json" | (typeof TEXT_FORMS)[number];

export type Signing =
  | { mode: "sign"; by: Who; spec: "draft-cavage-http-signatures-12" | "rfc9421"; skewMinutes: number }
  | { mode: "none"; by: Who }
  | { mode: "garbage"; by: Who; header: string };

export type Tamper =
  | { body: Mutation }
  | { body: "whitespace" }
  | { header: "date" | "garbleDate" | "digest" | "signature" | "keyId" };

export interface FuzzCase {
  kind: Kind;
  /** Whose `actor` the activity names: the signer itself, the other account, or a hostile value. */
  actor: "self" | "other" | Hostile;
  /** Picks ids from a small space, so later activities meet earlier ones (updates, undos, replays). */
  ref: number;
  mutations: Mutation[];
  shape: Shape | null;
  text: TextForm;
  signing: Signing;
  tamper: Tamper | null;
  target: "shared" | "personal" | "unknown" | "slash";
  contentType: string | null;
  chunked: boolean;
}

export interface Built {
  url: URL;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  chunked: boolean;
  /** Signed by its own actor over exactly these bytes, within the clock window. */
  authentic: boolean;
  signer: string;
  /** Certain to fail verification (unsigned, tampered, skewed, impersonated): must never be 2xx. */
  forged: boolean;
}

type Json = Record<string, unknown>;
const other = (who: Who): Who => (who === "peer" ? "mallory" : "peer");
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v) ?? "null");

function resolveUri(w: FuzzWorld, ref: UriRef, body: Json, n: number): string {
  const object = isObject(body.object) ? body.object.id : body.object;
  const table: Record<UriRef, unknown> = {
    peer: w.signers.peer.id,
    mallory: w.signers.mallory.id,
    lib: w.lib,
    homeItem: w.homeItem,
    seeded: w.seeded[n % w.seeded.length],
    undelivered: w.undelivered,
    dead: `http://127.0.0.1:9/objects/${n}`,
    homeOrigin: new URL(`/users/lib/articles/0000000${n % 10}`, w.home.url).href,
    missing: new URL(`/users/peer/notes/missing-${n}`, w.remote.url).href,
    self: body.id,
    object,
  };
  const uri = table[ref];
  return typeof uri === "string" ? uri : w.signers.peer.id;
}

function materialise(w: FuzzWorld, value: Hostile, body: Json, n: number): unknown {
  if ("json" in value) return clone(value.json);
  if ("uri" in value) return resolveUri(w, value.uri, body, n);
  if ("embed" in value) return clone(body);
  if ("huge" in value) {
    if (value.huge === "array") return Array(value.size).fill(w.signers.peer.id);
    // Many path segments: what IRI resolution (RFC 3986 dot-segment removal) walks through.
    if (value.huge === "path") return `a/${"../b/./".repeat(Math.ceil(value.size / 8))}`;
    if (value.huge === "html") return `<p>${"<b>a</b> ".repeat(Math.ceil(value.size / 9))}</p>`;
    return "x".repeat(value.size);
  }
  let nested: unknown = value.via === "array" ? [] : { type: "Note" };
  for (let i = 0; i < value.deep; i++)
    nested = value.via === "array" ? [nested] : { type: "Note", inReplyTo: nested };
  return nested;
}

function setPath(target: Json, path: string, value: unknown, drop: boolean): void {
  const keys = path.split(".");
  let at = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    // An id in place of an object becomes the object with that id, so nested fields apply.
    at[key] = isObject(next) ? next : typeof next === "string" ? { id: next } : {};
    at = at[key] as Json;
  }
  const last = keys[keys.length - 1] ?? "";
  if (drop) delete at[last];
  else at[last] = value;
}

function baseActivity(w: FuzzWorld, kind: Kind, actor: string, ref: number): Json {
  const base = `${actor}/fuzz/${ref}`;
  const now = new Date().toISOString();
  const note = (id: string) => ({
    id,
    type: "Note",
    attributedTo: actor,
    content: `<p>fuzz note ${ref}</p>`,
    published: now,
    to: [PUBLIC],
    ...(ref % 5 === 0 ? { inReplyTo: w.homeItem } : {}),
  });
  const activity: Json = { "@context": "https://www.w3.org/ns/activitystreams", type: kind, actor };
  const seeded = w.seeded.filter((s) => s.startsWith(`${actor}/`));
  switch (kind) {
    case "Create":
      return { ...activity, id: `${base}/create`, to: [PUBLIC], object: note(base) };
    case "Update": {
      const object =
        ref % 4 === 3
          ? {
              id: actor,
              type: "Organization",
              preferredUsername: actor.split("/").pop(),
              inbox: `${actor}/inbox`,
            }
          : { ...note(ref % 2 ? base : (seeded[ref % seeded.length] ?? base)), updated: now };
      return { ...activity, id: `${base}/update/${Date.now()}`, object };
    }
    case "Delete": {
      const target = ref % 2 ? base : (seeded[ref % seeded.length] ?? base);
      const object = ref % 3 ? target : { id: target, type: "Tombstone" };
      return { ...activity, id: `${base}/delete`, object };
    }
    case "Like":
    case "Announce":
      return { ...activity, id: `${base}/${kind.toLowerCase()}`, to: [PUBLIC], object: w.homeItem };
    case "Follow":
      return { ...activity, id: `${base}/follow`, object: w.lib };
    case "Undo": {
      const undone = (["Like", "Announce", "Follow"] as const)[ref % 3] ?? "Like";
      const object = {
        id: `${base}/${undone.toLowerCase()}`,
        type: undone,
        actor,
        object: undone === "Follow" ? w.lib : w.homeItem,
      };
      return { ...activity, id: `${base}/undo`, object: ref % 4 === 0 ? object.id : object };
    }
  }
}

function applyShape(w: FuzzWorld, shape: Shape, body: Json, actor: string, ref: number): Json {
  const object = isObject(body.object) ? body.object : null;
  switch (shape) {
    case "objectIsActivity":
      return { ...body, object: clone(body) };
    case "objectIdIsActivityId":
      return { ...body, object: object ? { ...object, id: body.id } : body.id };
    case "mutualIds":
      return { ...body, object: { id: `${body.id}/b`, type: body.type, actor, object: body.id } };
    case "undoChain": {
      let wrapped = body;
      for (let i = 0; i < (ref % 5) + 2; i++)
        wrapped = { ...body, id: `${body.id}/u${i}`, type: "Undo", object: wrapped };
      return wrapped;
    }
    case "selfReply":
      return object
        ? { ...body, object: { ...object, inReplyTo: object.id, replies: { id: object.id } } }
        : body;
    case "objectIsActor":
      return { ...body, object: object ? { ...object, id: actor } : actor };
    case "repliesEmbedActivity":
      return object
        ? { ...body, object: { ...object, replies: { type: "Collection", items: [clone(body)] } } }
        : body;
    case "contextDead":
      return { ...body, "@context": [body["@context"], `http://127.0.0.1:9/context-${ref}.jsonld`] };
    case "contextHome":
      return { ...body, "@context": [body["@context"], new URL("/users/lib", w.home.url).href] };
    case "contextRemoteActor":
      return { ...body, "@context": [body["@context"], actor] };
    case "contextInline":
      return {
        ...body,
        "@context": [body["@context"], { "@vocab": `${body.id}#`, id: "@type", type: "@id" }],
      };
  }
}

function injectAfter(text: string, marker: string, insert: string): string {
  const at = text.indexOf(marker);
  return at < 0
    ? `${insert}${text}`
    : text.slice(0, at + marker.length) + insert + text.slice(at + marker.length);
}

/** `bytes` with `extra` spliced in at `at` (default: the end). */
function splice(bytes: Uint8Array, extra: number[], at = bytes.length): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, at));
  out.set(extra, at);
  out.set(bytes.subarray(at), at + extra.length);
  return out;
}

function serialise(form: TextForm, body: Json, ref: number): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(body);
  const encode = (s: string) => new TextEncoder().encode(s);
  switch (form) {
    case "json":
      return encode(json);
    case "pretty":
      return encode(JSON.stringify(body, null, 2));
    case "bom":
      return encode(`\ufeff${json}`);
    case "truncated":
      return encode(json.slice(0, Math.floor((json.length * (ref % 97)) / 97)));
    case "trailing":
      return encode(`${json} x`);
    case "notObject":
      return encode([JSON.stringify([body]), '"Create"', "42", "null"][ref % 4] ?? "null");
    case "duplicateKey":
      return encode(`{"actor":"http://127.0.0.1:9/users/evil","id":5,${json.slice(1)}`);
    case "invalidUtf8":
      // A stray byte, an overlong NUL and a CESU-8 surrogate, inside the first string.
      return splice(encode(json), [0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80], json.indexOf('":"') + 3);
    case "rawSurrogate":
      return encode(injectAfter(json, '"content":"', "\\ud83d"));
    case "rawNul":
      return encode(injectAfter(json, '"id":"', "\\u0000"));
    case "deepRaw": {
      const depth = 1000 + ((ref * 7919) % 300_000);
      return encode(`${json.slice(0, -1)},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    }
    case "hugeNumber":
      return encode(`${json.slice(0, -1)},"n":1e999,"m":-0,"k":123456789012345678901234567890}`);
  }
}

/** The actor ids an `actor` value names; generated values nest arrays thousands deep, so bounded. */
function actorIds(value: unknown, depth = 0): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return depth >= 32 ? [] : value.flatMap((v) => actorIds(v, depth + 1));
  return isObject(value) && typeof value.id === "string" ? [value.id] : [];
}

/** The request for case `c`; `n` is its serial number in the run (keeps generated ids apart). */
export async function build(w: FuzzWorld, c: FuzzCase, n: number): Promise<Built> {
  const signer = w.signers[c.signing.by];
  const claimed =
    c.actor === "self" ? signer.id : c.actor === "other" ? w.signers[other(c.signing.by)].id : null;
  let body = baseActivity(w, c.kind, claimed ?? signer.id, c.ref);
  for (const m of c.mutations)
    setPath(body, m.path, "drop" in m ? undefined : materialise(w, m.value, body, n), "drop" in m);
  if (c.shape) body = applyShape(w, c.shape, body, claimed ?? signer.id, c.ref);
  if (typeof c.actor === "object") body.actor = materialise(w, c.actor, body, n);
  // The honest peer never deletes itself: its follow (and with it every later valid Create) would go.
  const object = isObject(body.object) ? body.object.id : body.object;
  if (body.type === "Delete" && object === w.signers.peer.id) body.object = w.seeded[0];
  const path = {
    shared: "/inbox",
    personal: "/users/lib/inbox",
    unknown: "/users/nobody/inbox",
    slash: "/inbox/",
  };
  const url = new URL(path[c.target], w.home.url);
  let bytes = serialise(c.text, body, c.ref);
  let request = new Request(url, {
    method: "POST",
    headers: c.contentType ? { "Content-Type": c.contentType } : {},
    body: bytes,
  });
  if (c.signing.mode === "sign") {
    const currentTime = toInstant(new Date(Date.now() + c.signing.skewMinutes * 60_000));
    request = await signRequest(request, signer.key, signer.keyId, { spec: c.signing.spec, currentTime });
  } else if (c.signing.mode === "garbage") {
    request.headers.set(
      c.signing.header.startsWith("sig1=") ? "Signature-Input" : "Signature",
      c.signing.header,
    );
  }
  const headers = new Headers(request.headers);
  if (c.tamper && "body" in c.tamper) {
    if (c.tamper.body === "whitespace") bytes = splice(bytes, [0x20]);
    else {
      const changed = clone(body);
      const m = c.tamper.body;
      setPath(changed, m.path, "drop" in m ? undefined : materialise(w, m.value, changed, n), "drop" in m);
      const text = serialise(c.text, changed, c.ref);
      bytes = Buffer.compare(text, bytes) === 0 ? splice(bytes, [0x0a]) : text;
    }
  } else if (c.tamper) tamperHeader(headers, c.tamper.header, w.signers[other(c.signing.by)].keyId);
  const skew = c.signing.mode === "sign" ? Math.abs(c.signing.skewMinutes) : 0;
  const ids = actorIds(body.actor);
  return {
    url,
    headers: [...headers],
    body: bytes,
    chunked: c.chunked,
    signer: signer.id,
    authentic:
      c.signing.mode === "sign" &&
      !c.tamper &&
      skew <= 50 &&
      ids.length > 0 &&
      ids.every((id) => id === signer.id),
    forged: c.signing.mode !== "sign" || c.tamper != null || skew >= 65 || c.actor === "other",
  };
}

function tamperHeader(
  headers: Headers,
  which: Extract<Tamper, { header: unknown }>["header"],
  otherKey: URL,
) {
  switch (which) {
    case "date":
      headers.set("Date", new Date(Date.now() + 120_000).toUTCString());
      return;
    case "garbleDate":
      headers.set("Date", "yesterday, at noon");
      return;
    case "digest":
      headers.delete("Digest");
      headers.delete("Content-Digest");
      return;
    case "signature": {
      // One base64 character of the signature value changed: the signature no longer verifies.
      const value = headers.get("Signature");
      const flip = (_: string, head: string, ch: string) => `${head}${ch === "A" ? "B" : "A"}`;
      if (value) headers.set("Signature", value.replace(/(signature="|sig1=:)(.)/, flip));
      return;
    }
    case "keyId":
      for (const name of ["Signature", "Signature-Input"]) {
        const value = headers.get(name);
        if (value) headers.set(name, value.replace(/(keyId|keyid)="[^"]*"/, `$1="${otherKey.href}"`));
      }
      return;
  }
}
