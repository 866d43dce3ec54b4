import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** Issue 7, finding 6: a strict CSP and the usual hardening headers on every response. */
describe("security headers", () => {
  let plain: InProcessInstance;
  let tls: InProcessInstance; // PUBLIC_URL is https (a TLS proxy in front), served on loopback

  beforeAll(async () => {
    [plain, tls] = await Promise.all([
      startInProcess(),
      startInProcess({ publicUrl: new URL("https://lib.example") }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), tls?.stop()]);
  });

  const local = (instance: InProcessInstance, path: string) =>
    new URL(path, `http://127.0.0.1:${instance.config.port}`);

  it("sends a CSP without inline script or style, nosniff, a referrer policy and no framing", async () => {
    for (const [path, accept] of [
      ["/setup", "text/html"],
      ["/received", "text/html"],
      ["/api/v1/items", "application/json"],
      ["/nodeinfo/2.1", "application/json"],
      ["/no-such-page", "text/html"],
    ] as const) {
      const response = await fetch(local(plain, path), { headers: { Accept: accept } });
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("strict-transport-security"), path).toBeNull();
    }
  });

  it("pages carry no inline script or style attribute that the CSP would block", async () => {
    const html = await (await fetch(local(plain, "/setup"))).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=/i);
  });

  it("marks cookies Secure and sends HSTS when PUBLIC_URL is https", async () => {
    const response = await fetch(local(tls, "/setup?lang=lt"));
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
    const cookies = response.headers.getSetCookie();
    expect(cookies.map((c) => c.split("=")[0]).sort()).toEqual(["csrf", "lang"]);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    const insecure = (await fetch(local(plain, "/setup?lang=lt"))).headers.getSetCookie();
    for (const cookie of insecure) expect(cookie).not.toMatch(/;\s*Secure/i);
  });
});
