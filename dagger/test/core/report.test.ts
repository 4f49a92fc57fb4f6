import { describe, expect, it } from "vitest";
import type { Gate } from "../../src/core/gates.js";
import {
  abbreviate,
  parseReportFormat,
  parseSkippedStages,
  renderReport,
  ReportFormat,
} from "../../src/core/report.js";

const gates: Gate[] = [
  {
    name: "lint: eslint",
    status: "pass",
    figure: "0 errors, 2 warnings",
    threshold: "0 errors",
    durationMs: 1234,
    details: [],
  },
  {
    name: "coverage: lines",
    status: "fail",
    figure: "57.14%",
    threshold: ">= 80%",
    durationMs: 9000,
    details: ["coverage: lines is 57.14%, below the required 80%"],
  },
  {
    name: "scan: dependency audit",
    status: "warn",
    figure: "did not run",
    threshold: "-",
    durationMs: 50,
    details: ["npm audit could not query | the endpoint"],
  },
];

describe("renderReport", () => {
  it("adds a Command column when a gate knows its command", () => {
    const [first, ...rest] = gates;
    const withCommand = [
      { ...first, command: "npx --no-install eslint ." },
      ...rest,
    ];
    const lines = renderReport(withCommand, ReportFormat.text).split("\n");
    expect(lines[2]).toMatch(/Duration {2}Command$/);
    expect(lines[4]).toMatch(/1\.2 s {5}npx --no-install eslint \.$/);
    expect(lines[5]).toMatch(/9\.0 s$/);
    const markdown = renderReport(withCommand, ReportFormat.markdown);
    expect(markdown).toContain("| Duration | Command |");
    expect(markdown).toContain("| 1.2 s | `npx --no-install eslint .` |");
    expect(markdown).toContain("| 9.0 s |  |");
  });

  it("renders an aligned text table with the failing details", () => {
    const text = renderReport(gates, ReportFormat.text);
    expect(text.split("\n")).toEqual([
      "Gantry quality gates: FAILED",
      "",
      "Gate                    Status  Figure                Threshold  Duration",
      "----------------------  ------  --------------------  ---------  --------",
      "lint: eslint            PASS    0 errors, 2 warnings  0 errors   1.2 s",
      "coverage: lines         FAIL    57.14%                >= 80%     9.0 s",
      "scan: dependency audit  WARN    did not run           -          0.1 s",
      "",
      "coverage: lines:",
      "  coverage: lines is 57.14%, below the required 80%",
      "scan: dependency audit:",
      "  npm audit could not query | the endpoint",
      "",
    ]);
  });

  it("renders a GitHub step summary table, escaping pipes", () => {
    const markdown = renderReport(gates, ReportFormat.markdown);
    expect(markdown).toContain("## Gantry quality gates: FAILED");
    expect(markdown).toContain(
      "| Gate | Status | Figure | Threshold | Duration |",
    );
    expect(markdown).toContain(
      "| coverage: lines | ❌ fail | 57.14% | >= 80% | 9.0 s |",
    );
    expect(markdown).toContain("- npm audit could not query \\| the endpoint");
  });

  it("says passed when only warnings remain", () => {
    expect(renderReport([gates[0], gates[2]], ReportFormat.text)).toMatch(
      /^Gantry quality gates: passed/,
    );
  });
});

describe("parseReportFormat", () => {
  it("names the flag on a bad value", () => {
    expect(parseReportFormat("markdown")).toBe("markdown");
    expect(() => parseReportFormat("html")).toThrow(
      '--format must be "text" or "markdown", got "html"',
    );
  });
});

describe("abbreviate", () => {
  it("keeps short text and cuts long text at a word boundary with an ellipsis", () => {
    expect(abbreviate("CMD node healthcheck.js", 60)).toBe(
      "CMD node healthcheck.js",
    );
    const cut = abbreviate(
      "CMD node -e fetch('http://127.0.0.1:3000/healthz') --retries 3 --interval 5s",
      60,
    );
    expect(cut).toBe("CMD node -e fetch('http://127.0.0.1:3000/healthz')…");
    expect(cut.length).toBeLessThanOrEqual(60);
  });
});

describe("parseSkippedStages", () => {
  it("accepts known stages and names unknown ones", () => {
    expect([...parseSkippedStages(["load", "scan"])]).toEqual(["load", "scan"]);
    expect(() => parseSkippedStages(["load", "deploy"])).toThrow(
      "--skip takes stages among lint, typecheck, test, build, scan, load, lighthouse; unknown: deploy",
    );
  });

  it("shows a skipped stage as its own row", () => {
    const text = renderReport(
      [
        {
          name: "load (smoke)",
          status: "skip",
          figure: "skipped",
          threshold: "-",
          durationMs: 0,
          details: [],
        },
      ],
      ReportFormat.text,
    );
    expect(text).toContain("load (smoke)  SKIP    skipped");
    expect(text).toMatch(/^Gantry quality gates: passed/);
    expect(text).toMatch(/0\.0 s\n$/);
  });
});
