import { describe, expect, it } from "vitest";
import {
  failureLine,
  testsGate,
  type TestCounts,
} from "../../../src/core/parse/testCounts.js";

const counts = (overrides: Partial<TestCounts>): TestCounts => ({
  passed: 0,
  failed: 0,
  skipped: 0,
  failures: [],
  ...overrides,
});

describe("testsGate", () => {
  it("passes when tests ran and none failed, skipped ones included", () => {
    expect(testsGate(counts({ passed: 2, skipped: 3 }), 0, "")).toEqual({
      name: "tests",
      status: "pass",
      figure: "2 passed, 0 failed, 3 skipped",
      threshold: "0 failed",
      details: [],
    });
  });

  it("fails with one line per failed test", () => {
    const gate = testsGate(
      counts({ passed: 2, failed: 1, failures: ["a.test.js > b: boom"] }),
      1,
      "exit code 1: tail",
    );
    expect(gate).toMatchObject({
      status: "fail",
      figure: "2 passed, 1 failed, 0 skipped",
      details: ["a.test.js > b: boom"],
    });
  });

  it("shows the output when failures were counted but not named", () => {
    const gate = testsGate(counts({ failed: 2 }), 1, "line one\nline two\n");
    expect(gate.status).toBe("fail");
    expect(gate.details).toEqual(["line one", "line two"]);
  });

  it("fails a run where no test ran, even when some were skipped", () => {
    expect(testsGate(counts({ skipped: 4 }), 0, "")).toMatchObject({
      status: "fail",
      figure: "0 passed, 0 failed, 4 skipped",
      details: ["no test ran"],
    });
  });

  it("fails a non-zero exit that reported no failed test, with the output", () => {
    const gate = testsGate(
      counts({ passed: 3 }),
      2,
      "\u001b[31mERROR: Coverage for lines (40%) does not meet global threshold (80%)\u001b[39m",
    );
    expect(gate).toMatchObject({
      status: "fail",
      figure: "3 passed, 0 failed, 0 skipped",
      details: [
        "the runner exited 2 without reporting a failed test",
        "ERROR: Coverage for lines (40%) does not meet global threshold (80%)",
      ],
    });
  });

  it("reports unrecognised output as not run, with its tail", () => {
    expect(testsGate(undefined, 127, "sh: 1: mocha: not found\n")).toEqual({
      name: "tests",
      status: "fail",
      figure: "did not run",
      threshold: "0 failed",
      details: ["sh: 1: mocha: not found"],
    });
  });
});

describe("failureLine", () => {
  it("names the file when the runner gives one", () => {
    expect(failureLine("test/a.test.js", "adds", "boom")).toBe(
      "test/a.test.js > adds: boom",
    );
    expect(failureLine(undefined, "adds", "boom")).toBe("adds: boom");
  });
});
