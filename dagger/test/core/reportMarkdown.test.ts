import { describe, expect, it } from "vitest";
import type { Gate } from "../../src/core/gates.js";
import {
  abbreviate,
  parseReportFormat,
  parseSkippedStages,
  renderReport,
  ReportFormat,
} from "../../src/core/report.js";

const gate = (overrides: Partial<Gate>): Gate => ({
  name: "lint",
  status: "pass",
  figure: "0 errors",
  threshold: "0 errors",
  durationMs: 1234,
  details: [],
  ...overrides,
});

describe("markdown report", () => {
  it("renders the exact GitHub step summary: icons, escaped cells, a command column, details of the gates that did not pass", () => {
    const report = renderReport(
      [
        gate({ details: ["a passing gate's details are not shown"] }),
        gate({
          name: "scan: a|b",
          status: "warn",
          figure: "did not run",
          threshold: "-",
          durationMs: 50,
          details: ["line1\nline2", "x|y"],
          command: "npm audit --json",
        }),
        gate({
          name: "load",
          status: "skip",
          figure: "skipped",
          threshold: "-",
          durationMs: 0,
        }),
      ],
      ReportFormat.markdown,
    );
    expect(report).toBe(
      [
        "## Gantry quality gates: passed",
        "",
        "| Gate | Status | Figure | Threshold | Duration | Command |",
        "| --- | --- | --- | --- | --- | --- |",
        "| lint | ✅ pass | 0 errors | 0 errors | 1.2 s |  |",
        "| scan: a\\|b | ⚠️ warn | did not run | - | 0.1 s | `npm audit --json` |",
        "| load | ⏭️ skip | skipped | - | 0.0 s |  |",
        "",
        "<details><summary>scan: a|b</summary>",
        "",
        "- line1 line2",
        "- x\\|y",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("has no command column and no details section when nothing needs them", () => {
    expect(renderReport([gate({})], ReportFormat.markdown)).toBe(
      [
        "## Gantry quality gates: passed",
        "",
        "| Gate | Status | Figure | Threshold | Duration |",
        "| --- | --- | --- | --- | --- |",
        "| lint | ✅ pass | 0 errors | 0 errors | 1.2 s |",
        "",
      ].join("\n"),
    );
  });
});

describe("flags validated in library mode", () => {
  it("accepts both formats and names the flag otherwise", () => {
    expect(parseReportFormat("text")).toBe(ReportFormat.text);
    expect(parseReportFormat("markdown")).toBe(ReportFormat.markdown);
    expect(() => parseReportFormat("html")).toThrow(
      '--format must be "text" or "markdown", got "html"',
    );
  });

  it("lists the stages and the unknown ones for a bad --skip", () => {
    expect(parseSkippedStages(["scan", "load"])).toEqual(["scan", "load"]);
    expect(() => parseSkippedStages(["lint", "deploy", "e2e"])).toThrow(
      "--skip takes stages among lint, typecheck, test, build, scan, load, lighthouse; unknown: deploy, e2e",
    );
  });
});

describe("abbreviate", () => {
  it("keeps text of exactly the maximum length and cuts one character longer", () => {
    expect(abbreviate("abcde", 5)).toBe("abcde");
    expect(abbreviate("abcdef", 5)).toBe("abcd…");
  });

  it("cuts at a word boundary only past half the length", () => {
    expect(abbreviate("abcde fghij", 8)).toBe("abcde…");
    expect(abbreviate("abc defgh", 6)).toBe("abc d…");
  });
});
