import type { Directory } from "@dagger.io/dagger";
import { brokenGate, type GateVerdict } from "../core/gates.js";
import { coverageGates, testsGate } from "../core/parse/vitest.js";
import { postgresService, withDatabase } from "./postgres.js";
import {
  capture,
  readIfPresent,
  SRC,
  tail,
  withDependencies,
  type Project,
} from "./workspace.js";

const VITEST_REPORT = "/tmp/vitest.json";
const COVERAGE_DIR = "/tmp/coverage";

/** Gates of a test run and the coverage report it produced. */
export interface TestRun {
  gates: GateVerdict[];
  coverage: Directory;
}

/** Vitest with v8 coverage (Postgres bound when the config enables it), gated on failures and coverage minimums. */
export async function runTests(project: Project): Promise<TestRun> {
  const { config, packageManager } = project;
  const workspace = await withDependencies(project);
  const result = await capture(
    config.postgres.enabled
      ? workspace.with(withDatabase(project, postgresService(project)))
      : workspace,
    packageManager.exec("vitest", [
      "run",
      "--coverage.enabled",
      "--coverage.reportOnFailure",
      "--coverage.reporter=text-summary",
      "--coverage.reporter=json-summary",
      "--coverage.reporter=html",
      `--coverage.reportsDirectory=${COVERAGE_DIR}`,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${VITEST_REPORT}`,
    ]),
  );
  // Lazy: only read when the gates passed, and then vitest has written it.
  const coverage = result.container.directory(COVERAGE_DIR);
  const [report, summary] = await Promise.all([
    readIfPresent(result.container, VITEST_REPORT),
    readIfPresent(result.container, `${COVERAGE_DIR}/coverage-summary.json`),
  ]);
  if (report === undefined) {
    return {
      gates: [brokenGate("tests", `vitest did not run (${tail(result)})`)],
      coverage,
    };
  }
  const { lines, branches, functions, statements } = config.coverage;
  const gates = [
    testsGate(report, SRC),
    ...(summary === undefined
      ? [
          brokenGate(
            "coverage: lines",
            "vitest wrote no coverage summary: is @vitest/coverage-v8 a devDependency?",
          ),
        ]
      : coverageGates(summary, { lines, branches, functions, statements })),
  ];
  return { gates, coverage };
}
