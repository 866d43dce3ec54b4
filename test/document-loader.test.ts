import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryKvStore } from "@fedify/fedify";
import jsonld from "@fedify/vocab-runtime/jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeDocumentLoaderFactory } from "../server/federation/document-loader.ts";

/** Fedify's remote fetches go through our SSRF-safe fetcher: address checks and a size cap. */
describe("Fedify document loader over safeFetch", () => {
  let server: Server;
  let base: string;
  let contextFetches = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/actor") {
        res.writeHead(200, { "Content-Type": "application/activity+json" });
        res.end(
          JSON.stringify({
            "@context": "https://www.w3.org/ns/activitystreams",
            id: `${base}/actor`,
            type: "Person",
          }),
        );
      } else if (req.url === "/context") {
        contextFetches++;
        res.writeHead(200, { "Content-Type": "application/ld+json" });
        res.end(JSON.stringify({ "@context": { library: "https://example.org/ns#library" } }));
      } else if (req.url === "/huge") {
        res.writeHead(200, { "Content-Type": "application/activity+json" });
        res.end(JSON.stringify({ id: `${base}/huge`, type: "Note", content: "x".repeat(3 * 1024 * 1024) }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("refuses loopback addresses unless the configuration allows them, whatever Fedify passes", async () => {
    const strict = safeDocumentLoaderFactory({ allowPrivateAddress: false, kv: new MemoryKvStore() })();
    await expect(strict(`${base}/actor`)).rejects.toThrow(/private address 127\.0\.0\.1/);
    const lax = safeDocumentLoaderFactory({ allowPrivateAddress: true, kv: new MemoryKvStore() })({
      allowPrivateAddress: false,
    });
    const loaded = await lax(`${base}/actor`);
    expect(loaded.document).toMatchObject({ type: "Person" });
  });

  it("stops reading a document larger than 2 MB", async () => {
    const loader = safeDocumentLoaderFactory({ allowPrivateAddress: true, kv: new MemoryKvStore() })();
    await expect(loader(`${base}/huge`)).rejects.toThrow(/larger than/);
  });

  it("answers the ActivityStreams context from the preloaded copy, without the network", async () => {
    const loader = safeDocumentLoaderFactory({ allowPrivateAddress: false, kv: new MemoryKvStore() })();
    const context = await loader("https://www.w3.org/ns/activitystreams");
    expect(JSON.stringify(context.document)).toContain("@context");
  });

  it("lets jsonld.js keep preloaded contexts resolved between expansions", async () => {
    const contexts = safeDocumentLoaderFactory(
      { allowPrivateAddress: false, kv: new MemoryKvStore() },
      "contexts",
    )();
    const asked: string[] = [];
    const documentLoader = (async (url: string) => {
      asked.push(url);
      return contexts(url);
    }) as unknown as Parameters<typeof jsonld.expand>[1]["documentLoader"];
    // A context URL no other test in this process expands, so jsonld's cache starts without it.
    const note = (n: number) => ({
      "@context": ["https://w3id.org/security/data-integrity/v1", "https://www.w3.org/ns/activitystreams"],
      id: `https://example.org/notes/${n}`,
      type: "Note",
      content: `note ${n}`,
    });
    const first = await jsonld.expand(note(1), { documentLoader });
    expect(asked).toEqual([
      "https://w3id.org/security/data-integrity/v1",
      "https://www.w3.org/ns/activitystreams",
    ]);
    const second = await jsonld.expand(note(2), { documentLoader });
    expect(asked).toHaveLength(2);
    expect(second).toEqual([
      {
        "@id": "https://example.org/notes/2",
        "@type": ["https://www.w3.org/ns/activitystreams#Note"],
        "https://www.w3.org/ns/activitystreams#content": [{ "@value": "note 2" }],
      },
    ]);
    expect(first[0]?.["@id"]).toBe("https://example.org/notes/1");
  });

  it("answers preloaded contexts without the KV store, and fetches a foreign one once", async () => {
    const kv = new MemoryKvStore();
    const gets: string[] = [];
    const get = kv.get.bind(kv);
    kv.get = ((key) => {
      gets.push(key.join(" "));
      return get(key);
    }) as MemoryKvStore["get"];
    const contexts = safeDocumentLoaderFactory({ allowPrivateAddress: true, kv }, "contexts");
    await contexts()("https://www.w3.org/ns/activitystreams");
    await contexts()("https://w3id.org/security/v1");
    expect(gets).toEqual([]);
    // Fedify asks for a loader per request: the second request finds the context in the KV store.
    const first = await contexts()(`${base}/context`);
    const second = await contexts({ allowPrivateAddress: false })(`${base}/context`);
    expect(second.document).toEqual(first.document);
    expect(contextFetches).toBe(1);
    expect(gets).toEqual([
      `_fedify remoteDocument ${base}/context`,
      `_fedify remoteDocument ${base}/context`,
    ]);
  });
});
