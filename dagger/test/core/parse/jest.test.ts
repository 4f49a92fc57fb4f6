import { describe, expect, it } from "vitest";
import { parseJestJson } from "../../../src/core/parse/jest.js";
import { testsGate } from "../../../src/core/parse/testCounts.js";
import { toolOutput } from "../fixtures.js";

// jest 30.5.2 ran in /tmp/gantry-scratch/jest (see tool-output/README.md).
const ROOT = "/tmp/gantry-scratch/jest";

describe("parseJestJson", () => {
  it("counts skipped and todo tests apart from passed ones", () => {
    expect(parseJestJson(toolOutput("jest/failing.json"), ROOT)).toEqual({
      passed: 2,
      failed: 1,
      skipped: 2,
      failures: [
        "test/math.test.js > totals > a deliberately failing case expects the wrong total: Error: expect(received).toBe(expected) // Object.is equality",
      ],
    });
  });

  it("counts a suite that failed to run as a failed test, without jest's heading or colours", () => {
    expect(parseJestJson(toolOutput("jest/load-error.json"), ROOT)).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: [
        "test/broken-import.test.js > Cannot find module './missing-module' from 'test/broken-import.test.js'",
      ],
    });
  });

  it("reads a run that found no tests as no test ran", () => {
    const counts = parseJestJson(toolOutput("jest/no-tests.json"), ROOT);
    expect(counts).toEqual({ passed: 0, failed: 0, skipped: 0, failures: [] });
    expect(
      testsGate(counts, 1, "No tests found, exiting with code 1"),
    ).toMatchObject({
      status: "fail",
      details: ["no test ran"],
    });
  });

  it("keeps absolute paths outside the root", () => {
    expect(
      parseJestJson(toolOutput("jest/failing.json"), "/elsewhere").failures[0],
    ).toMatch(/^\/tmp\/gantry-scratch\/jest\/test\/math\.test\.js > /);
  });
});

// Hand-written reports in the shape of jest's --json (not produced by jest): one-line failure messages, a passed file
// that carries a message, a failure without any message.
describe("parseJestJson, edges (hand-written)", () => {
  const parse = (
    status: string,
    message: string,
    failureMessages: string[] | undefined,
  ) =>
    parseJestJson(
      JSON.stringify({
        numPassedTests: 0,
        numFailedTests: failureMessages ? 1 : 0,
        numPendingTests: 0,
        numTodoTests: 0,
        testResults: [
          {
            name: `${ROOT}/test/a.test.js`,
            status,
            message,
            assertionResults: failureMessages
              ? [
                  {
                    ancestorTitles: ["suite"],
                    title: "case",
                    status: "failed",
                    failureMessages,
                  },
                ]
              : [],
          },
        ],
      }),
      ROOT,
    );

  it("reads the first line of a failed test's messages, which are separate lines, or none", () => {
    expect(parse("failed", "", ["Error: first", "Error: second"])).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: ["test/a.test.js > suite > case: Error: first"],
    });
    expect(parse("failed", "", ["● heading only"]).failures).toEqual([
      "test/a.test.js > suite > case: ",
    ]);
  });

  it("counts a file as broken only when it failed without a failed test", () => {
    expect(parse("passed", "a message", undefined)).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
    expect(parse("failed", "Error: did not load", undefined)).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: ["test/a.test.js > Error: did not load"],
    });
  });
});
