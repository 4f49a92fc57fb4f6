import { stripVTControlCharacters } from "node:util";
import { relativeTo } from "./eslint.js";
import type { TestCounts } from "./testCounts.js";

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      status: string;
      failureMessages: string[];
    }[];
  }[];
}

/** Counts jest's `--json` report; a test file that failed without a failed test (it did not load) counts as one failed test. */
export function parseJestJson(json: string, root: string): TestCounts {
  const report = JSON.parse(json) as JestJson;
  let brokenFiles = 0;
  const failures = report.testResults.flatMap((file) => {
    const path = relativeTo(root, file.name);
    const failedTests = file.assertionResults
      .filter((test) => test.status === "failed")
      .map(
        (test) =>
          `${[path, ...test.ancestorTitles, test.title].join(" > ")}: ${messageLine(test.failureMessages.join("\n"))}`,
      );
    if (file.status !== "failed" || failedTests.length || !file.message)
      return failedTests;
    brokenFiles++;
    return [`${path} > ${messageLine(file.message)}`];
  });
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
    failures,
  };
}

/** The first line that says something: jest heads a file's message with "● Test suite failed to run" and colours it. */
function messageLine(text: string): string {
  return (
    stripVTControlCharacters(text)
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith("●")) ?? ""
  );
}
