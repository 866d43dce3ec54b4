import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPrivateAddress, SafeFetchError, safeFetch, UnsafeUrlError } from "../server/ingest/safe-fetch.ts";

describe("isPrivateAddress", () => {
  const privateAddresses = [
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "0:0:0:0:0:0:0:1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fe80::1",
    "fe80::1%eth0",
    "febf::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "0:0:0:0:0:ffff:192.168.0.1",
    "::127.0.0.1",
    "::10.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::8.8.8.8",
    "64:ff9b:1::1",
    "2002:7f00:1::1",
    "2002:5db8:d822::1",
    "2001::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1",
    "2001:db8:85a3::8a2e:370:7334",
    "[::1]",
    "not-an-ip",
    "",
    "1.2.3",
    "999.1.1.1",
  ];
  const publicAddresses = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "192.169.0.1",
    "223.255.255.254",
    "2606:4700::1",
    "2606:4700:0:0:0:0:0:1",
    "2a00:1450:4001:81c::200e",
    "2001:4860:4860::8888",
    "::ffff:93.184.216.34",
    "::ffff:808:808",
  ];

  it.each(privateAddresses)("%s is private", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(publicAddresses)("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe("safeFetch", () => {
  let server: Server;
  let port: number;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname;
      if (path === "/hello") {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.end("labas, ąčęėįšųūž");
      } else if (path === "/json") {
        res.writeHead(200, { "content-type": "application/activity+json", "x-test": "yes" });
        res.end(JSON.stringify({ type: "Note", ua: req.headers["user-agent"], accept: req.headers.accept }));
      } else if (path === "/echo") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ host: req.headers.host, authorization: req.headers.authorization ?? null }));
      } else if (path.startsWith("/hop/")) {
        const n = Number(path.slice("/hop/".length));
        if (n === 0) res.end("done");
        else res.writeHead(302, { location: `/hop/${n - 1}` }).end();
      } else if (path === "/redirect") {
        res.writeHead(Number(url.searchParams.get("status") ?? 302), {
          location: url.searchParams.get("to")!,
        });
        res.end("moved");
      } else if (path === "/hang") {
        // Never answers.
      } else if (path === "/big") {
        res.writeHead(200, { "content-length": String(2 * 1024 * 1024) });
        res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
      } else if (path === "/big-chunked") {
        // No content-length: the cap must apply while streaming.
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x62);
        let sent = 0;
        const pump = (): void => {
          while (sent < 32 && !res.destroyed) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
      } else if (path === "/gzip") {
        res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" });
        res.end(gzipSync("packed text"));
      } else if (path === "/gzip-bomb") {
        res.writeHead(200, { "content-encoding": "gzip" });
        res.end(gzipSync(Buffer.alloc(10 * 1024 * 1024)));
      } else {
        res.writeHead(404).end("not found");
      }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  const local = { allowPrivateAddress: true } as const;

  it("refuses non-http schemes", async () => {
    for (const url of [
      "file:///etc/passwd",
      "ftp://example.com/x",
      "javascript:alert(1)",
      "data:text/plain,hi",
    ]) {
      await expect(safeFetch(url)).rejects.toThrow(UnsafeUrlError);
    }
    await expect(safeFetch("gopher://example.com/")).rejects.toThrow(/refusing scheme gopher:/);
  });

  it("refuses invalid URLs and URLs with credentials", async () => {
    await expect(safeFetch("not a url")).rejects.toThrow(UnsafeUrlError);
    await expect(safeFetch("http://user:secret@example.com/")).rejects.toThrow(/credentials/);
  });

  it("refuses a real loopback server by default", async () => {
    await expect(safeFetch(`${base}/hello`)).rejects.toThrow(/refusing private address 127\.0\.0\.1/);
    await expect(safeFetch(`http://[::1]:${port}/hello`)).rejects.toThrow(/refusing private address ::1/);
    await expect(safeFetch(`http://[::ffff:127.0.0.1]:${port}/hello`)).rejects.toThrow(UnsafeUrlError);
    // Real DNS: localhost resolves to loopback.
    await expect(safeFetch(`http://localhost:${port}/hello`)).rejects.toThrow(/refusing private address/);
  });

  it("fetches the loopback server with allowPrivateAddress: true", async () => {
    const res = await safeFetch(`${base}/hello`, local);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${base}/hello`);
    expect(res.text()).toBe("labas, ąčęėįšųūž");
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("sends its User-Agent and Accept, parses JSON, passes headers through", async () => {
    const res = await safeFetch(`${base}/json`, { ...local, accept: "application/activity+json" });
    expect(res.headers.get("x-test")).toBe("yes");
    expect(res.json()).toEqual({
      type: "Note",
      ua: "BalticLibraries/0.1",
      accept: "application/activity+json",
    });
  });

  it("returns non-2xx responses instead of throwing, and HEAD has no body", async () => {
    const missing = await safeFetch(`${base}/nope`, local);
    expect(missing.status).toBe(404);
    expect(missing.text()).toBe("not found");
    const head = await safeFetch(`${base}/hello`, { ...local, method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("refuses loopback and private hosts in every spelling a URL allows", async () => {
    const spellings = [
      "http://2130706433/", // decimal 127.0.0.1
      "http://0177.0.0.1/", // octal
      "http://0x7f.0.0.1/", // hex
      "http://0x7f000001/",
      "http://127.1/", // short form
      "http://127.0.1/",
      "http://0/",
      "http://0.0.0.0/",
      "http://[::]/",
      "http://[::1]/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
      "http://[64:ff9b::127.0.0.1]/", // NAT64
      "http://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
      "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", // Teredo
      "http://10.0.0.1/",
      "http://0xa000001/",
      "http://172.16.0.1/",
      "http://192.168.0.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://0xa9fea9fe/", // 169.254.169.254 in hex
      "http://100.64.0.1/", // CGNAT
      "http://[fe80::1]/",
      "http://[fd00::1]/",
      "http://LOCALHOST/",
    ];
    for (const url of spellings) {
      await expect(safeFetch(url, { timeoutMs: 2000 }), url).rejects.toThrow(UnsafeUrlError);
    }
    // A name that does not resolve here is a clear error too, never a connection.
    await expect(safeFetch("http://localhost./", { timeoutMs: 2000 })).rejects.toThrow(SafeFetchError);
  });

  it("looks a host up once per hop and connects to that answer: DNS rebinding cannot swap it (fake DNS)", async () => {
    // First answer: the allowed test server; every later answer would be a private address.
    let lookups = 0;
    const res = await safeFetch(`http://rebind.test:${port}/echo`, {
      lookup: async () => (++lookups === 1 ? ["127.0.0.1"] : ["10.0.0.1"]),
      isAllowedAddress: (ip) => ip === "127.0.0.1",
    });
    expect(res.status).toBe(200);
    expect(lookups).toBe(1);
    // And when the first answer is already the private one, nothing is contacted.
    let second = 0;
    await expect(
      safeFetch(`http://rebind.test:${port}/echo`, {
        lookup: async () => (++second === 1 ? ["10.0.0.1"] : ["127.0.0.1"]),
        isAllowedAddress: (ip) => ip === "127.0.0.1",
      }),
    ).rejects.toThrow(/10\.0\.0\.1/);
  });

  it("refuses a host whose DNS answer is private (fake DNS)", async () => {
    const lookup = async (host: string) => (host === "evil.test" ? ["10.0.0.1"] : []);
    await expect(safeFetch("http://evil.test/", { lookup })).rejects.toThrow(
      /refusing private address 10\.0\.0\.1 \(for evil\.test\)/,
    );
    await expect(safeFetch("http://nowhere.test/", { lookup })).rejects.toThrow(/no address found/);
  });

  it("refuses a host if ANY of its addresses is private (fake DNS)", async () => {
    const lookup = async () => ["93.184.216.34", "127.0.0.1"];
    await expect(safeFetch("https://mixed.test/", { lookup })).rejects.toThrow(/127\.0\.0\.1/);
  });

  it("connects to the checked address and keeps the Host header (fake DNS)", async () => {
    // a.test resolves to 127.0.0.1, which this test alone allows.
    const res = await safeFetch(`http://a.test:${port}/echo`, {
      lookup: async (host) => (host === "a.test" ? ["127.0.0.1"] : []),
      isAllowedAddress: (ip) => ip === "127.0.0.1",
    });
    expect(res.json()).toEqual({ host: `a.test:${port}`, authorization: null });
  });

  it("re-checks every redirect hop: a redirect to a private address is refused (fake DNS)", async () => {
    const options = {
      lookup: async (host: string) =>
        host === "a.test" ? ["127.0.0.1"] : host === "b.test" ? ["10.1.2.3"] : [],
      isAllowedAddress: (ip: string) => ip === "127.0.0.1",
    };
    const via = (to: string, status = 302) =>
      `http://a.test:${port}/redirect?status=${status}&to=${encodeURIComponent(to)}`;
    await expect(safeFetch(via(`http://[::1]:${port}/hello`), options)).rejects.toThrow(
      /refusing private address ::1/,
    );
    await expect(safeFetch(via(`http://127.0.0.2:${port}/hello`, 307), options)).rejects.toThrow(
      /refusing private address 127\.0\.0\.2/,
    );
    await expect(safeFetch(via("http://b.test/", 301), options)).rejects.toThrow(
      /10\.1\.2\.3 \(for b\.test\)/,
    );
    await expect(safeFetch(via("http://169.254.169.254/latest/meta-data/", 308), options)).rejects.toThrow(
      /169\.254\.169\.254/,
    );
    await expect(safeFetch(via("file:///etc/passwd", 303), options)).rejects.toThrow(/refusing scheme file:/);
    await expect(safeFetch(via("http://[::1"), options)).rejects.toThrow(/invalid redirect location/);
    // The allowed hop itself works.
    const ok = await safeFetch(via(`http://a.test:${port}/hello`), options);
    expect(ok.text()).toBe("labas, ąčęėįšųūž");
    expect(ok.url).toBe(`http://a.test:${port}/hello`);
  });

  it("drops Authorization on a cross-origin redirect (fake DNS)", async () => {
    const res = await safeFetch(`http://a.test:${port}/redirect?to=${encodeURIComponent(`${base}/echo`)}`, {
      ...local,
      lookup: async () => ["127.0.0.1"],
      headers: { Authorization: "Bearer secret" },
    });
    expect(res.json()).toEqual({ host: `127.0.0.1:${port}`, authorization: null });
  });

  it("follows up to 5 redirects and refuses the 6th", async () => {
    const ok = await safeFetch(`${base}/hop/5`, local);
    expect(ok.text()).toBe("done");
    expect(ok.url).toBe(`${base}/hop/0`);
    await expect(safeFetch(`${base}/hop/6`, local)).rejects.toThrow(/too many redirects/);
    await expect(safeFetch(`${base}/hop/1`, { ...local, maxRedirects: 0 })).rejects.toThrow(
      /too many redirects/,
    );
  });

  it("times out on a server that never answers", async () => {
    const started = Date.now();
    await expect(safeFetch(`${base}/hang`, { ...local, timeoutMs: 300 })).rejects.toThrow(
      /timed out after 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("caps the body size, by Content-Length and while streaming", async () => {
    const maxBytes = 1024 * 1024;
    await expect(safeFetch(`${base}/big`, { ...local, maxBytes })).rejects.toThrow(
      /response larger than 1048576 bytes/,
    );
    await expect(safeFetch(`${base}/big-chunked`, { ...local, maxBytes })).rejects.toThrow(SafeFetchError);
    const fits = await safeFetch(`${base}/big-chunked`, { ...local, maxBytes: 4 * 1024 * 1024 });
    expect(fits.body.length).toBe(2 * 1024 * 1024);
  });

  it("decodes gzip and caps the decoded size (gzip bomb)", async () => {
    expect((await safeFetch(`${base}/gzip`, local)).text()).toBe("packed text");
    await expect(safeFetch(`${base}/gzip-bomb`, { ...local, maxBytes: 1024 * 1024 })).rejects.toThrow(
      /response larger than/,
    );
  });
});
