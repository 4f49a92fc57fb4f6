import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eslintGate } from "../../../src/core/parse/eslint.js";

const report = readFileSync(
  new URL("../../fixtures/tool-output/xo/unused-var.json", import.meta.url),
  "utf8",
);

describe("xo --reporter=json", () => {
  it("is ESLint's JSON format, read by the ESLint gate", () => {
    const gate = eslintGate(report, "/tmp/xotry", null);
    expect(gate.status).toBe("fail");
    expect(gate.figure).toMatch(/^2 errors, 0 warnings$/);
    expect(gate.details[0]).toBe(
      "index.js:1:7 error 'unused' is assigned a value but never used. Allowed unused vars must match /^_/u. (no-unused-vars)",
    );
  });
});
