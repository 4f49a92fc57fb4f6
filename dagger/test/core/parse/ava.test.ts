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

// Hand-written outputs in ava's default reporter format (not captured from ava): counts past 9, every singular
// crash summary, look-alike lines, and failure entries the fixtures do not have.
describe("parseAvaOutput, edges (hand-written)", () => {
  it("reads two-digit totals and prefers the passed total to the ✔ lines", () => {
    const output = [
      "✔ one",
      "  log: 5 tests passed before the retry",
      "saw 7 tests passed",
      "3 tests passed in shard 1 of 2",
      "",
      "12 tests passed",
      "10 tests skipped",
    ].join("\n");
    expect(parseAvaOutput(output)).toEqual({
      passed: 12,
      failed: 0,
      skipped: 10,
      failures: [],
    });
  });

  it("counts each singular crash summary as a failed test", () => {
    const output = [
      "✔ one",
      "",
      "1 test failed",
      "1 hook failed",
      "1 uncaught exception",
      "1 unhandled rejection",
      "1 test remained pending after a timeout",
    ].join("\n");
    expect(parseAvaOutput(output)).toMatchObject({ passed: 1, failed: 5 });
  });

  it.each([
    "✘ Based on your configuration, 12 test files were found, but did not match the filters",
    "✘ Based on your configuration, 1 test file was found, but did not match the filters",
  ])("reads %s as zero tests", (line) => {
    expect(parseAvaOutput(`\n  ${line}\n`)).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });

  it("does not take a quoted message as ava's nothing-ran line", () => {
    expect(
      parseAvaOutput("npm ERR! ✘ Couldn't find any files to test\n"),
    ).toBeUndefined();
  });

  it("reads entries without a FILE:LINE line and skips only source lines", () => {
    const output = [
      "✘ [fail]: first",
      "─",
      "",
      "first",
      "",
      "Error thrown at setup.js:12",
      "",
      "",
      "",
      "second",
      "",
      "data.json:3 is not valid JSON",
      "",
      "",
      "",
      "third",
      "",
      "test/c.test.js:4",
      "",
      "4: t.is(code, 0);",
      "exit code 1: failed",
      "",
      "",
      "",
      "─",
      "",
      "3 tests failed",
    ].join("\n");
    expect(parseAvaOutput(output)?.failures).toEqual([
      "first: Error thrown at setup.js:12",
      "second: data.json:3 is not valid JSON",
      "test/c.test.js > third: exit code 1: failed",
    ]);
  });

  it("reads no failure list without its closing rule", () => {
    const output = [
      "─",
      "",
      "first",
      "",
      "Error: cut off",
      "",
      "1 test failed",
    ].join("\n");
    expect(parseAvaOutput(output)?.failures).toEqual([]);
  });

  it("names crashes only from a whole line", () => {
    const output = [
      "Uncaught exception in test/a.test.js",
      "Error: boom",
      "log: Unhandled rejection in test/b.test.js",
      "Unhandled rejection in test/c.test.js (after 2 retries)",
      "",
      "1 uncaught exception",
    ].join("\n");
    expect(parseAvaOutput(output)?.failures).toEqual([
      "test/a.test.js > uncaught exception: Error: boom",
    ]);
  });

  it("reads an entry that is only a title, and a crash at the very end", () => {
    const output = [
      "─",
      "",
      "lonely title",
      "",
      "─",
      "",
      "1 test failed",
      "1 uncaught exception",
      "Uncaught exception in test/z.test.js",
    ].join("\n");
    expect(parseAvaOutput(output)?.failures).toEqual([
      "test/z.test.js > uncaught exception: ",
      "lonely title: ",
    ]);
  });
});
