import { describe, expect, it } from "vitest";
import { parseNodeTestOutput } from "../../../src/core/parse/nodeTest.js";
import { toolOutput } from "../fixtures.js";

// Real `node --test` runs in /tmp/gantry-scratch/node-test (see tool-output/README.md):
// 2 passing tests, 1 failing (inside a describe), 1 skipped, 1 todo.
const SPEC_FAILURE =
  "test/math.test.js > a deliberately failing case expects the wrong total: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:";
// TAP gives the absolute location and the error without its class.
const TAP_FAILURE =
  "/tmp/gantry-scratch/node-test/test/math.test.js > a deliberately failing case expects the wrong total: Expected values to be strictly equal:";

describe("parseNodeTestOutput", () => {
  it.each([
    ["node20-default-tap.stdout.txt", TAP_FAILURE],
    ["node22-default-tap.stdout.txt", TAP_FAILURE],
    ["npm-c8-node22-tap.stdout.txt", TAP_FAILURE],
    ["node20-spec.stdout.txt", SPEC_FAILURE],
    ["node22-spec.stdout.txt", SPEC_FAILURE],
    ["node22-spec-color.stdout.txt", SPEC_FAILURE],
    ["npm-c8-node20-spec.stdout.txt", SPEC_FAILURE],
  ])(
    "counts %s, todo as skipped, the failing suite not as a test",
    (fixture, failure) => {
      expect(parseNodeTestOutput(toolOutput(`node-test/${fixture}`))).toEqual({
        passed: 2,
        failed: 1,
        skipped: 2,
        failures: [failure],
      });
    },
  );

  it("counts a test file that fails to load (spec, Node 20)", () => {
    expect(
      parseNodeTestOutput(
        toolOutput("node-test/node20-load-error-spec.stdout.txt"),
      ),
    ).toEqual({
      passed: 1,
      failed: 1,
      skipped: 0,
      failures: [
        "test/broken-import.test.js > /tmp/gantry-scratch/node-test-broken/test/broken-import.test.js: 'test failed'",
      ],
    });
  });

  it("counts a test file that fails to load (tap, Node 22)", () => {
    expect(
      parseNodeTestOutput(
        toolOutput("node-test/node22-load-error-tap.stdout.txt"),
      ),
    ).toEqual({
      passed: 1,
      failed: 1,
      skipped: 0,
      failures: [
        "/tmp/gantry-scratch/node-test-broken/test/broken-import.test.js > test/broken-import.test.js: test failed",
      ],
    });
  });

  it.each(["node20-empty-spec.stdout.txt", "node22-empty-tap.stdout.txt"])(
    "reads %s as zero tests",
    (fixture) => {
      expect(parseNodeTestOutput(toolOutput(`node-test/${fixture}`))).toEqual({
        passed: 0,
        failed: 0,
        skipped: 0,
        failures: [],
      });
    },
  );

  it("counts cancelled tests as failed", () => {
    const summary = [
      "tests 3",
      "pass 1",
      "fail 1",
      "cancelled 1",
      "skipped 0",
      "todo 0",
    ];
    expect(
      parseNodeTestOutput(summary.map((line) => `ℹ ${line}`).join("\n")),
    ).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
  });

  it.each([
    "mocha/failing.stdout.txt",
    "ava/failing.stdout.txt",
    "jest/failing.stderr.txt",
    "vitest/default-reporter.stdout.txt",
    "vitest/default-reporter.stderr.txt",
    "biome/lint.stdout.txt",
  ])("does not recognise %s", (fixture) => {
    expect(parseNodeTestOutput(toolOutput(fixture))).toBeUndefined();
  });

  it("does not recognise a crash before any summary", () => {
    expect(parseNodeTestOutput("node: bad option: --tset\n")).toBeUndefined();
  });
});
