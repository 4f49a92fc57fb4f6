import { describe, expect, it } from "vitest";
import { biomeGate } from "../../../src/core/parse/biome.js";
import { toolOutput } from "../fixtures.js";

// biome 2.6.8 with --reporter=json (see tool-output/README.md): the report is one line on stdout,
// the "experimental" notice and the outcome go to stderr.
const both = (name: string) =>
  `${toolOutput(`biome/${name}.stdout.txt`)}\n${toolOutput(`biome/${name}.stderr.txt`)}`;

describe("biomeGate", () => {
  it("fails a lint error and lists every diagnostic", () => {
    expect(
      biomeGate("lint: biome", toolOutput("biome/lint.stdout.txt"), 1, null),
    ).toEqual({
      name: "lint: biome",
      status: "fail",
      figure: "1 errors, 1 warnings",
      threshold: "0 errors",
      details: [
        "src/lint-warning.js:2 lint/correctness/noUnusedVariables: This variable unused is unused.",
        "src/lint-error.js:2 lint/suspicious/noDebugger: This is an unexpected use of the debugger statement.",
      ],
    });
  });

  it("reads the report among biome's stderr lines", () => {
    expect(biomeGate("lint: biome", both("lint"), 1, null)).toMatchObject({
      status: "fail",
      figure: "1 errors, 1 warnings",
    });
  });

  it("passes warnings up to maxWarnings and fails above it", () => {
    const output = toolOutput("biome/lint-warning-only.stdout.txt");
    expect(biomeGate("lint: biome", output, 0, null)).toMatchObject({
      status: "pass",
      figure: "0 errors, 1 warnings",
      threshold: "0 errors",
    });
    expect(biomeGate("lint: biome", output, 0, 1).status).toBe("pass");
    expect(biomeGate("lint: biome", output, 0, 0)).toMatchObject({
      status: "fail",
      threshold: "0 errors, <= 0 warnings",
      details: [
        "src/lint-warning.js:2 lint/correctness/noUnusedVariables: This variable unused is unused.",
      ],
    });
  });

  it("names each file the formatter would change", () => {
    expect(
      biomeGate(
        "format: biome",
        toolOutput("biome/format.stdout.txt"),
        1,
        null,
      ),
    ).toEqual({
      name: "format: biome",
      status: "fail",
      figure: "1 errors, 0 warnings",
      threshold: "0 errors",
      details: ["src/messy.js format: not formatted"],
    });
  });

  it("passes formatted files", () => {
    expect(
      biomeGate(
        "format: biome",
        toolOutput("biome/format-clean.stdout.txt"),
        0,
        null,
      ),
    ).toMatchObject({
      status: "pass",
      figure: "0 errors, 0 warnings",
      details: [],
    });
  });

  it("fails a non-zero exit with an empty report, with biome's reason when given", () => {
    expect(
      biomeGate("lint: biome", both("lint-no-files"), 1, null),
    ).toMatchObject({
      status: "fail",
      figure: "0 errors, 0 warnings",
      // Everything biome said but the report line itself.
      details: [
        "biome exited 1 without reporting an error",
        "The `json` and `json-pretty` reporters are experimental and may change in patch releases.",
        "lint ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
        "  × No files were processed in the specified paths.",
        "  i Check your biome.json or biome.jsonc to ensure the paths are not ignored by the configuration.",
        "  i These paths were provided but ignored:",
        "  - empty",
      ],
    });
    expect(
      biomeGate(
        "lint: biome",
        toolOutput("biome/lint-no-files.stdout.txt"),
        1,
        null,
      ).status,
    ).toBe("fail");
  });

  it("keeps the first 50 diagnostics", () => {
    const diagnostic = {
      severity: "error",
      message: "This is an unexpected use of the debugger statement.",
      category: "lint/suspicious/noDebugger",
      location: { path: "src/f.js", start: { line: 2, column: 3 } },
    };
    const output = JSON.stringify({
      summary: { errors: 60, warnings: 0 },
      diagnostics: Array(60).fill(diagnostic),
    });
    const gate = biomeGate("lint: biome", output, 1, null);
    expect(gate.figure).toBe("60 errors, 0 warnings");
    expect(gate.details).toHaveLength(50);
  });

  it("reports output without a report as not run", () => {
    expect(
      biomeGate(
        "format: biome",
        toolOutput("biome/format-default.stderr.txt"),
        1,
        null,
      ),
    ).toMatchObject({ status: "fail", figure: "did not run" });
    expect(
      biomeGate("lint: biome", "sh: 1: biome: not found\n", 127, null),
    ).toEqual({
      name: "lint: biome",
      status: "fail",
      figure: "did not run",
      threshold: "0 errors",
      details: ["sh: 1: biome: not found"],
    });
  });
});

// Hand-written outputs (not produced by biome): JSON lines that are no report, diagnostics without category or
// location, and more lines than the details keep.
describe("biomeGate, edges (hand-written)", () => {
  const report = (diagnostics: object[]) =>
    JSON.stringify({
      summary: { errors: diagnostics.length, warnings: 0 },
      diagnostics,
    });

  it("takes the first JSON line with a summary and a diagnostics list as the report", () => {
    const output = [
      JSON.stringify({ diagnostics: [] }),
      JSON.stringify({ summary: { errors: 0, warnings: 0 } }),
      report([
        {
          message: "m",
          category: "lint/x",
          location: { path: "a.js", start: { line: 3 } },
        },
      ]),
    ].join("\n");
    expect(biomeGate("lint: biome", output, 1, null)).toMatchObject({
      figure: "1 errors, 0 warnings",
      details: ["a.js:3 lint/x: m"],
    });
  });

  it("describes a diagnostic without category or location by its message", () => {
    expect(
      biomeGate("lint: biome", report([{ message: "m" }]), 1, null).details,
    ).toEqual([": m"]);
  });

  it("quotes the last 8 lines biome said, without blank ones, when it did not report", () => {
    const said = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    const output = [said[0], "", "   ", ...said.slice(1), ""].join("\n");
    expect(biomeGate("lint: biome", output, 1, null).details).toEqual(
      said.slice(-8),
    );
    expect(
      biomeGate("lint: biome", "first\n  \n\nsecond\n", 1, null).details,
    ).toEqual(["first", "second"]);
  });
});
