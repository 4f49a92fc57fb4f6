import { minimumGate, type GateVerdict } from "../gates.js";

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: {
      fullName: string;
      status: string;
      failureMessages: string[];
    }[];
  }[];
}

/** Gates vitest's `--reporter=json` output: every test passes and at least one ran. */
export function testsGate(json: string, root: string): GateVerdict {
  const report = JSON.parse(json) as VitestJson;
  const failures = report.testResults.flatMap((file) => {
    const failedTests = file.assertionResults
      .filter((test) => test.status === "failed")
      .map(
        (test) =>
          `${test.fullName}: ${firstLine(test.failureMessages.join("\n"))}`,
      );
    // A file that fails to load has no assertion results, only a message.
    const loadError =
      file.status === "failed" && !failedTests.length && file.message
        ? [firstLine(file.message)]
        : [];
    return [...failedTests, ...loadError].map(
      (failure) => `${file.name.replace(`${root}/`, "")} > ${failure}`,
    );
  });
  const ranNothing = report.numTotalTests === 0;
  return {
    name: "tests",
    status: failures.length || ranNothing ? "fail" : "pass",
    figure: `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
    threshold: "0 failed",
    details: ranNothing ? ["no test ran"] : failures,
  };
}

interface CoverageSummary {
  total: Record<
    "lines" | "statements" | "functions" | "branches",
    { pct: number | "Unknown" }
  >;
}

/** Gates istanbul's coverage-summary.json against each configured minimum percentage. */
export function coverageGates(
  json: string,
  minimums: Partial<Record<keyof CoverageSummary["total"], number>>,
): GateVerdict[] {
  const { total } = JSON.parse(json) as CoverageSummary;
  return Object.entries(minimums)
    .filter(
      (entry): entry is [keyof CoverageSummary["total"], number] =>
        entry[1] !== undefined,
    )
    .map(([metric, minimum]) => {
      const pct = total[metric].pct;
      return minimumGate(
        `coverage: ${metric}`,
        typeof pct === "number" ? pct : 0,
        minimum,
      );
    });
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
