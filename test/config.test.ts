import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../server/config.ts";

const dataDir = () => mkdtempSync(join(tmpdir(), "baltic-config-"));

describe("configuration", () => {
  it("has working defaults and keeps a generated SECRET_KEY in DATA_DIR", () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.publicUrl.href).toBe("http://localhost:3000/");
    expect(config.instanceRole).toBe("library");
    expect(config.nodeType).toBe("all");
    expect(config.allowPrivateAddress).toBe(false);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, "secret_key"), "utf8").trim()).toBe(config.secretKey);
    expect(loadConfig({ DATA_DIR: dir }).secretKey).toBe(config.secretKey);
  });

  it("derives PUBLIC_URL from PORT and accepts explicit values", () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      PORT: "8080",
      INSTANCE_ROLE: "hub",
      NODE_TYPE: "worker",
      ALLOW_PRIVATE_ADDRESS: "true",
      DATABASE_URL: "postgres://u@db/x",
    });
    expect(config.publicUrl.href).toBe("http://localhost:8080/");
    expect(config).toMatchObject({ instanceRole: "hub", nodeType: "worker", allowPrivateAddress: true });
    expect(config).toMatchObject({ loginRateLimit: 10, inboxRateLimit: 6000 });
    expect(loadConfig({ DATA_DIR: dataDir(), INBOX_RATE_LIMIT: "120" }).inboxRateLimit).toBe(120);
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: "https://lib.example" }).publicUrl.origin).toBe(
      "https://lib.example",
    );
  });

  it("takes a map tile server with its credit", () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      MAP_TILE_URL: "https://tiles.example/{z}/{x}/{y}.png",
      MAP_TILE_ATTRIBUTION: "© OpenStreetMap contributors",
    });
    expect(config.mapTiles).toEqual({
      url: "https://tiles.example/{z}/{x}/{y}.png",
      attribution: "© OpenStreetMap contributors",
    });
    expect(loadConfig({ DATA_DIR: dataDir() }).mapTiles).toBeUndefined();
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["HOST", "not a host!"],
    ["PUBLIC_URL", "not a url"],
    ["PUBLIC_URL", "ftp://lib.example"],
    ["PUBLIC_URL", "https://lib.example/sub/path"],
    ["DATABASE_URL", "mysql://x"],
    ["INSTANCE_ROLE", "museum"],
    ["NODE_TYPE", "both"],
    ["ALLOW_PRIVATE_ADDRESS", "maybe"],
    ["TRUST_PROXY", "sometimes"],
    ["LOG_LEVEL", "loud"],
    ["SECRET_KEY", "short"],
    ["LOGIN_RATE_LIMIT", "many"],
    ["LOGIN_RATE_LIMIT", "0"],
    ["INBOX_RATE_LIMIT", "2.5"],
    ["MAP_TILE_URL", "https://tiles.example/tile.png"],
    ["MAP_TILE_URL", "javascript:alert(1)//{z}/{x}/{y}"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(name);
  });
});
