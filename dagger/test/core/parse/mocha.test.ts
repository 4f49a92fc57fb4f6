import { describe, expect, it } from "vitest";
import { parseMochaOutput } from "../../../src/core/parse/mocha.js";
import { toolOutput } from "../fixtures.js";

// mocha 11.8.0 in /tmp/gantry-scratch/mocha (see tool-output/README.md):
// 2 passing tests, 1 failing (inside a describe), 1 it.skip and 1 it() without a body.
const FAILING = {
  passed: 2,
  failed: 1,
  skipped: 2,
  failures: [
    "test/math.test.js > totals > a deliberately failing case expects the wrong total: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
  ],
};

describe("parseMochaOutput", () => {
  it("counts pending tests as skipped and names the failure with its suite and file", () => {
    expect(parseMochaOutput(toolOutput("mocha/failing.stdout.txt"))).toEqual(
      FAILING,
    );
  });

  it("reads coloured output", () => {
    expect(
      parseMochaOutput(toolOutput("mocha/failing-color.stdout.txt")),
    ).toEqual(FAILING);
  });

  it("reads output between npm's banner and nyc's coverage table", () => {
    expect(parseMochaOutput(toolOutput("mocha/npm-nyc.stdout.txt"))).toEqual(
      FAILING,
    );
  });

  it("reads a green run", () => {
    expect(parseMochaOutput(toolOutput("mocha/passing.stdout.txt"))).toEqual({
      passed: 1,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it("reads a run where no test matched as zero tests", () => {
    expect(parseMochaOutput(toolOutput("mocha/no-tests.stdout.txt"))).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it("names a root-level failure whose error has no diff", () => {
    const output = [
      "  0 passing (2ms)",
      "  1 failing",
      "",
      "  1) loads the config:",
      "     Error: ENOENT: no such file or directory, open 'config.json'",
      "      at Object.openSync (node:fs:573:18)",
      "      at Context.<anonymous> (file:///src/test/config.test.js:6:8)",
      "",
    ].join("\n");
    expect(parseMochaOutput(output)?.failures).toEqual([
      "/src/test/config.test.js > loads the config: Error: ENOENT: no such file or directory, open 'config.json'",
    ]);
  });

  it.each([
    "node-test/node20-spec.stdout.txt",
    "node-test/node22-default-tap.stdout.txt",
    "ava/failing.stdout.txt",
    "jest/failing.stderr.txt",
    "vitest/default-reporter.stdout.txt",
    "vitest/default-reporter.stderr.txt",
  ])("does not recognise %s", (fixture) => {
    expect(parseMochaOutput(toolOutput(fixture))).toBeUndefined();
  });

  it("does not recognise a crash before any summary", () => {
    expect(
      parseMochaOutput('Error: No test files found: "test"\n'),
    ).toBeUndefined();
  });
});
