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

// Hand-written epilogues (not captured from mocha): counts past 9, and lines that only look like mocha's around the
// last epilogue, as a test's own logging or an npm post-script prints them.
describe("parseMochaOutput, edges (hand-written)", () => {
  it("reads counts of two digits and the tenth failure", () => {
    const failure = (n: number) => [
      `  ${n}) suite`,
      `       case ${n}:`,
      `     Error: boom ${n}`,
      `      at Context.<anonymous> (test/t${n}.test.js:1:1)`,
      "",
    ];
    const output = [
      "  12 passing (30ms)",
      "  10 pending",
      "  11 failing",
      "",
      ...Array.from({ length: 11 }, (_, i) => failure(i + 1)).flat(),
    ].join("\n");
    const counts = parseMochaOutput(output);
    expect(counts).toMatchObject({ passed: 12, failed: 11, skipped: 10 });
    expect(counts?.failures).toHaveLength(11);
    expect(counts?.failures[9]).toBe(
      "test/t10.test.js > suite > case 10: Error: boom 10",
    );
    expect(counts?.failures[10]).toBe(
      "test/t11.test.js > suite > case 11: Error: boom 11",
    );
  });

  it("ignores look-alike lines before and after the last epilogue", () => {
    const output = [
      // logged by a test before the real epilogue
      "  4 failing",
      "  3 pending",
      "",
      "  5 passing (8ms)",
      "",
      "> posttest",
      "summary:  9 passing (cached)",
      "summary:  2 failing",
      "summary:  4 pending",
      "  2 failing checks ignored",
      "  7 pending reviews",
      "  1) not a failure:",
      "     Error: only an echo",
      "",
    ].join("\n");
    expect(parseMochaOutput(output)).toEqual({
      passed: 5,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it("keeps a deeper-indented numbered line inside a failure's message", () => {
    const output = [
      "  0 passing (2ms)",
      "  1 failing",
      "",
      "  1) checks the list:",
      "     AssertionError: lists differ",
      "       2) second item",
      "      at Context.<anonymous> (file:///src/test/helper.js:3:9) trailing",
      "      at Context.<anonymous> (/src/test/list.test.js:4:9)",
      "",
    ].join("\n");
    expect(parseMochaOutput(output)?.failures).toEqual([
      "/src/test/list.test.js > checks the list: AssertionError: lists differ",
    ]);
  });

  it("reads a stack frame without parentheses and keeps a title colon in the middle", () => {
    const output = [
      "  0 passing (2ms)",
      "  1 failing",
      "",
      "  1) api: returns 404:",
      "     Error: expected 404",
      "      at /src/test/api.test.js:9:3",
    ].join("\n");
    expect(parseMochaOutput(output)?.failures).toEqual([
      "/src/test/api.test.js > api: returns 404: Error: expected 404",
    ]);
  });

  it("ends each failure at the next numbered entry, even one past 9", () => {
    const output = [
      "  0 passing (2ms)",
      "  2 failing",
      "",
      "  9) times out:",
      "     Error: Timeout of 2000ms exceeded. (thrown at setup  at fixtures.json:1:2)",
      "",
      "  10) fails with a stack:",
      "     Error: boom",
      "      at Context.<anonymous> (test/b.test.js:2:2)",
      "",
    ].join("\n");
    expect(parseMochaOutput(output)?.failures).toEqual([
      "times out: Error: Timeout of 2000ms exceeded. (thrown at setup  at fixtures.json:1:2)",
      "test/b.test.js > fails with a stack: Error: boom",
    ]);
  });

  it("keeps a failure whose title is cut off by the end of the output", () => {
    const output = [
      "  0 passing (2ms)",
      "  1 failing",
      "",
      "  1) suite",
      "       case",
    ].join("\n");
    expect(parseMochaOutput(output)?.failures).toEqual(["suite > case: "]);
  });
});
