import { stripVTControlCharacters } from "node:util";
import type { GateVerdict } from "../gates.js";

/** What a test runner reported, normalised across runners. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** one line per failed test: "file > test name: first line of message" (file relative to root when known) */
  failures: string[];
}

/** The "tests" gate: nothing failed, at least one test ran, and the runner's exit code agrees with its report. */
export function testsGate(
  counts: TestCounts | undefined,
  exitCode: number,
  outputTail: string,
): GateVerdict {
  const tail = stripVTControlCharacters(outputTail).trim();
  const tailLines = tail ? tail.split("\n") : [];
  const gate = { name: "tests", threshold: "0 failed" };
  if (!counts)
    return {
      ...gate,
      status: "fail",
      figure: "did not run",
      details: tailLines,
    };
  const { passed, failed, skipped, failures } = counts;
  const figure = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  if (failed > 0)
    // A runner whose failure list we could not read still shows why in its output.
    return {
      ...gate,
      status: "fail",
      figure,
      details: failures.length ? failures : tailLines,
    };
  if (passed === 0)
    return { ...gate, status: "fail", figure, details: ["no test ran"] };
  // A crash after the summary (a coverage threshold, an unhandled error) leaves no failed test behind.
  if (exitCode !== 0)
    return {
      ...gate,
      status: "fail",
      figure,
      details: [
        `the runner exited ${exitCode} without reporting a failed test`,
        ...tailLines,
      ],
    };
  return { ...gate, status: "pass", figure, details: [] };
}

/** One entry of `TestCounts.failures`: "file > test name: message", without the file when the runner does not say. */
export function failureLine(
  file: string | undefined,
  name: string,
  message: string,
): string {
  return `${file ? `${file} > ` : ""}${name}: ${message}`;
}
