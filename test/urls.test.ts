import { describe, expect, it } from "vitest";
import { httpUrlOrNull, safeHref } from "../server/ingest/urls.ts";

describe("URLs from elsewhere", () => {
  it("passes absolute http(s) URLs, normalized", () => {
    expect(httpUrlOrNull("https://lib.example/a b")).toBe("https://lib.example/a%20b");
    expect(httpUrlOrNull(" HTTP://Lib.Example/ ")).toBe("http://lib.example/");
  });

  it("refuses every other scheme, relative and broken URLs, and absurd lengths", () => {
    for (const value of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "//evil.example/x",
      "/relative",
      "",
      "http://",
      `https://lib.example/${"a".repeat(5000)}`,
      null,
      undefined,
    ]) {
      expect(httpUrlOrNull(value), String(value)).toBeNull();
      expect(safeHref(value), String(value)).toBeUndefined();
    }
  });
});
