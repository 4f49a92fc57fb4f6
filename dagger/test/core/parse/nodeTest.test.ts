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

// Hand-written outputs in node's spec and tap formats (not captured from node): counts past 9, look-alike lines,
// and TAP blocks the fixtures do not have.
describe("parseNodeTestOutput, edges (hand-written)", () => {
  const tapSummary = (pass: number, fail: number) =>
    [
      `# tests ${pass + fail}`,
      `# pass ${pass}`,
      `# fail ${fail}`,
      "# cancelled 0",
      "# skipped 0",
      "# todo 0",
    ].join("\n");

  it("reads counts of two digits and ignores look-alike lines after the summary", () => {
    const output = [
      "ℹ tests 36",
      "ℹ pass 12",
      "ℹ fail 11",
      "ℹ cancelled 10",
      "ℹ skipped 1",
      "ℹ todo 2",
      "ℹ duration_ms 51.1",
      "c8: # pass 99",
      "ℹ fail 7 (retried)",
    ].join("\n");
    expect(parseNodeTestOutput(output)).toEqual({
      passed: 12,
      failed: 21,
      skipped: 3,
      failures: [],
    });
  });

  it("needs both the pass and the fail count", () => {
    expect(parseNodeTestOutput("ℹ tests 1\nℹ pass 1\n")).toBeUndefined();
    expect(parseNodeTestOutput("# tests 1\n# fail 1\n")).toBeUndefined();
  });

  it("reads failures only from the spec reporter's closing list", () => {
    const tree = [
      "✖ broken (1.5ms)",
      "  Error: in the tree",
      "ℹ tests 1",
      "ℹ pass 0",
      "ℹ fail 1",
    ].join("\n");
    expect(parseNodeTestOutput(tree)?.failures).toEqual([]);
    const list = [
      "ℹ tests 1",
      "ℹ pass 0",
      "ℹ fail 1",
      "",
      "✖ failing tests:",
      "",
      "test at test/a.test.js:3:12",
      "✖ broken (1.5ms)",
      "  Error: in the list",
    ].join("\n");
    expect(parseNodeTestOutput(list)?.failures).toEqual([
      "test/a.test.js > broken: Error: in the list",
    ]);
  });

  it("reads TAP names with escapes, a location past column 9, and a failure without location", () => {
    const output = [
      "TAP version 13",
      "not ok 12 - a \\# b \\\\ c",
      "  ---",
      "  location: '/src/test/a.test.js:3:12'",
      "  failureType: 'testCodeFailure'",
      "  error: 'first'",
      "  ...",
      "not ok 13 - no location",
      "  ---",
      "  failureType: 'testCodeFailure'",
      "  error: |-",
      "    second",
      "  ...",
      "not ok 14 - no block",
      "not ok 15 - last",
      "  ---",
      "  location: '/src/test/z.test.js:1:1'",
      "  error: 'fourth'",
      "  ...",
      tapSummary(0, 4),
    ].join("\n");
    expect(parseNodeTestOutput(output)?.failures).toEqual([
      "/src/test/a.test.js > a # b \\ c: first",
      "no location: second",
      "no block: ",
      "/src/test/z.test.js > last: fourth",
    ]);
  });

  it("takes locations and names only from whole lines of the spec list", () => {
    const output = [
      "ℹ tests 2",
      "ℹ pass 0",
      "ℹ fail 2",
      "",
      "✖ failing tests:",
      "",
      "test at test/a.test.js:1:1",
      "✖ first (1ms)",
      "  Error: see test at test/helper.js:9:9",
      "  ✖ quoted (2ms)",
      "",
      "test at test/b.test.js:2:2 (retried)",
      "✖ second (3ms)",
      "  Error: two",
      "✖ retried (4ms) later",
      "✖ last (5ms)",
    ].join("\n");
    expect(parseNodeTestOutput(output)?.failures).toEqual([
      "test/a.test.js > first: Error: see test at test/helper.js:9:9",
      "second: Error: two",
      "last: ",
    ]);
  });

  // YAML that node's tap reporter does not write (it quotes every string or writes "|-"), to pin how a block is read.
  // Each block ends the output, without its closing "...".
  it.each([
    ["a plain block indicator", ["error: |", "  second"], "t: second"],
    [
      "a value that only ends like an indicator",
      ["error: 'a' >", "  x"],
      "t: 'a' >",
    ],
    ["a value that only starts like one", ["error: |a", "  x"], "t: |a"],
    ["a value quoted only at its end", ["error: a 'b'"], "t: a 'b'"],
    ["a value quoted only at its start", ["error: 'a' b"], "t: 'a' b"],
    [
      "a location with colons in its path",
      ["location: '/src/a:1:2.js:3:4'"],
      "/src/a:1:2.js > t: ",
    ],
    ["a block cut short after its indicator", ["error: |-"], "t: "],
  ])("reads %s in a TAP block", (_, block, failure) => {
    const output = [
      tapSummary(0, 1),
      "not ok 1 - t",
      "  ---",
      ...block.map((line) => `  ${line}`),
    ].join("\n");
    expect(parseNodeTestOutput(output)?.failures).toEqual([failure]);
  });

  it("takes a TAP failure only from a line that starts with not ok", () => {
    const output = [
      "not ok 1 - outer",
      "  ---",
      "  error: 'expected not ok 9 - inner'",
      "  ...",
      tapSummary(0, 1),
    ].join("\n");
    expect(parseNodeTestOutput(output)?.failures).toEqual([
      "outer: expected not ok 9 - inner",
    ]);
  });
});
