import { describe, expect, it } from "vitest";
import { testsGate } from "../../../src/core/parse/testCounts.js";
import {
  coverageGates,
  parseVitestJson,
} from "../../../src/core/parse/vitest.js";
import { toolOutput } from "../fixtures.js";

// vitest 4.1.12 ran in /tmp/gantry-scratch/vitest (see tool-output/README.md).
const ROOT = "/tmp/gantry-scratch/vitest";

describe("parseVitestJson", () => {
  it("counts skipped and todo tests apart from passed ones", () => {
    expect(parseVitestJson(toolOutput("vitest/failing.json"), ROOT)).toEqual({
      passed: 2,
      failed: 1,
      skipped: 2,
      failures: [
        "test/math.test.js > totals > a deliberately failing case expects the wrong total: AssertionError: expected 3 to be 4 // Object.is equality",
      ],
    });
  });

  it("counts a file that fails to load as a failed test", () => {
    const counts = parseVitestJson(
      toolOutput("vitest/with-load-error.json"),
      ROOT,
    );
    expect(counts).toMatchObject({ passed: 2, failed: 2, skipped: 2 });
    expect(counts.failures).toEqual([
      "test/broken-import.test.js > Cannot find module './missing-module.js' imported from /tmp/gantry-scratch/vitest/test/broken-import.test.js",
      "test/math.test.js > totals > a deliberately failing case expects the wrong total: AssertionError: expected 3 to be 4 // Object.is equality",
    ]);
  });

  it("reads a run without test files as no test ran", () => {
    const counts = parseVitestJson(toolOutput("vitest/no-tests.json"), ROOT);
    expect(counts).toEqual({ passed: 0, failed: 0, skipped: 0, failures: [] });
    expect(testsGate(counts, 1, "").details).toEqual(["no test ran"]);
  });
});

describe("coverageGates", () => {
  const minimums = { lines: 70, statements: 70, functions: 60, branches: 50 };
  const figures = (json: string) =>
    coverageGates(json, minimums).map((gate) => [
      gate.name,
      gate.status,
      gate.figure,
    ]);

  it("reads c8's json-summary", () => {
    expect(figures(toolOutput("c8/coverage-summary.json"))).toEqual([
      ["coverage: lines", "pass", "75%"],
      ["coverage: statements", "pass", "75%"],
      ["coverage: functions", "pass", "66.66%"],
      ["coverage: branches", "pass", "100%"],
    ]);
  });

  it("reads nyc's json-summary", () => {
    expect(figures(toolOutput("nyc/coverage-summary.json"))).toEqual([
      ["coverage: lines", "fail", "60%"],
      ["coverage: statements", "fail", "50%"],
      ["coverage: functions", "pass", "66.66%"],
      ["coverage: branches", "fail", "0%"],
    ]);
  });

  it("makes no gate for a minimum given as undefined (hand-written minimums)", () => {
    expect(
      coverageGates(toolOutput("c8/coverage-summary.json"), {
        lines: undefined,
        branches: 50,
      }).map((gate) => gate.name),
    ).toEqual(["coverage: branches"]);
  });

  it("reads jest's json-summary", () => {
    expect(figures(toolOutput("jest/coverage-summary.json"))).toEqual([
      ["coverage: lines", "fail", "60%"],
      ["coverage: statements", "fail", "50%"],
      ["coverage: functions", "pass", "66.66%"],
      ["coverage: branches", "fail", "0%"],
    ]);
  });
});
