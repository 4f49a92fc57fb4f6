import { describe, expect, it } from "vitest";
import { parseAvaOutput } from "../../../src/core/parse/ava.js";
import { toolOutput } from "../fixtures.js";

// ava 6.4.1 with CI=true (see tool-output/README.md): 2 passing tests, 1 failing, 1 test.skip, 1 test.todo.
const FAILING = {
  passed: 2,
  failed: 1,
  skipped: 2,
  failures: [
    "test/math.test.js > a deliberately failing case expects the wrong total: Difference (- actual, + expected):",
  ],
};

describe("parseAvaOutput", () => {
  it("counts passed tests from their ✔ lines when ava prints no passed total", () => {
    expect(parseAvaOutput(toolOutput("ava/failing.stdout.txt"))).toEqual(
      FAILING,
    );
  });

  it("reads coloured output", () => {
    expect(parseAvaOutput(toolOutput("ava/failing-color.stdout.txt"))).toEqual(
      FAILING,
    );
  });

  it("reads output between npm's banner and c8's coverage table", () => {
    expect(parseAvaOutput(toolOutput("ava/npm-c8.stdout.txt"))).toEqual(
      FAILING,
    );
  });

  it("names failures across files, with the source file when ava shows it", () => {
    expect(parseAvaOutput(toolOutput("ava/two-files.stdout.txt"))).toEqual({
      passed: 2,
      failed: 2,
      skipped: 0,
      failures: [
        "test/prices.test.js > prices › rejects a negative price: a negative price was accepted",
        "orders › throws while shipping: Error thrown in test:",
      ],
    });
  });

  it("counts a file that fails to load as a failed test", () => {
    expect(parseAvaOutput(toolOutput("ava/load-error.stdout.txt"))).toEqual({
      passed: 1,
      failed: 1,
      skipped: 0,
      failures: [
        "test/broken-import.test.js > uncaught exception: Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/gantry-scratch/ava-crash/test/missing-module.js' imported from /tmp/gantry-scratch/ava-crash/test/broken-import.test.js",
      ],
    });
  });

  it("reads a green run from its passed total", () => {
    expect(parseAvaOutput(toolOutput("ava/passing.stdout.txt"))).toEqual({
      passed: 1,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it("reads a run without test files as zero tests", () => {
    expect(parseAvaOutput(toolOutput("ava/no-files.stdout.txt"))).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it.each([
    "node-test/node20-spec.stdout.txt",
    "node-test/node22-default-tap.stdout.txt",
    "mocha/failing.stdout.txt",
    "jest/failing.stderr.txt",
    "vitest/default-reporter.stdout.txt",
    "vitest/default-reporter.stderr.txt",
  ])("does not recognise %s", (fixture) => {
    expect(parseAvaOutput(toolOutput(fixture))).toBeUndefined();
  });
});
