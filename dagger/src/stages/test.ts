import { dag, type Container, type Directory } from "@dagger.io/dagger";
import {
  brokenGate,
  exitCodeGate,
  skippedGate,
  type GateVerdict,
} from "../core/gates.js";
import { parseAvaOutput } from "../core/parse/ava.js";
import { parseJestJson } from "../core/parse/jest.js";
import { parseMochaOutput } from "../core/parse/mocha.js";
import { parseNodeTestOutput } from "../core/parse/nodeTest.js";
import { testsGate, type TestCounts } from "../core/parse/testCounts.js";
import { coverageMinimumGates } from "../core/coverage.js";
import { parseVitestJson } from "../core/parse/vitest.js";
import type { CheckTool, CoverageSource } from "../core/toolchain/checks.js";
import { shellJoin, type RunnablePlan } from "../core/toolchain/commands.js";
import { postgresService, withDatabase } from "./postgres.js";
import { runPlan, type PlanRun } from "./script.js";
import {
  capture,
  readIfPresent,
  SRC,
  tail,
  withDependencies,
  type ExecResult,
  type Project,
} from "./workspace.js";

const JSON_REPORT = "/tmp/gantry-tests.json";
const COVERAGE_DIR = "/tmp/coverage";
const COVERAGE_SUMMARY = `${COVERAGE_DIR}/coverage-summary.json`;

/** Gates of a test run and the coverage report it produced. */
export interface TestRun {
  gates: GateVerdict[];
  coverage: Directory;
}

/** The runners whose printed summary Gantry reads, for scripts that run them. */
const SUMMARY_PARSERS: Partial<
  Record<CheckTool, (output: string) => TestCounts | undefined>
> = {
  node: parseNodeTestOutput,
  mocha: parseMochaOutput,
  ava: parseAvaOutput,
};

/**
 * The repository's test suite as it runs it (Postgres bound when the config enables it), gated on failures and, where
 * the repository measures coverage (vitest or jest, or c8/nyc in its test script), on the coverage minimums.
 */
export async function runTests(project: Project): Promise<TestRun> {
  const plan = project.toolchain.checks.test;
  if (plan.kind === "none") {
    return {
      gates: [skippedGate("tests", plan.reason)],
      coverage: dag.directory(),
    };
  }
  const { packageManager, config } = project;
  const prepared = config.test.before.reduce(
    (container, script) => container.withExec(packageManager.run(script)),
    await withDependencies(project),
  );
  const suite = await runSuite(
    project,
    config.postgres.enabled
      ? prepared.with(withDatabase(project, await postgresService(project)))
      : prepared,
    plan,
  );
  const coverage = await coverageOf(project, plan, suite.result);
  const before = config.test.before.map((script) =>
    shellJoin(packageManager.run(script)),
  );
  return {
    gates: [
      { ...suite.gate, command: [...before, suite.command].join(" && ") },
      ...coverage.gates,
    ],
    coverage: coverage.report,
  };
}

async function runSuite(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
): Promise<PlanRun & { gate: GateVerdict }> {
  if (
    plan.kind === "tool" &&
    (plan.tool === "vitest" || plan.tool === "jest")
  ) {
    const reportFlags =
      plan.tool === "vitest"
        ? vitestFlags(plan.coverage === "runner")
        : jestFlags(plan.coverage === "runner");
    const args = plan.tool === "vitest" ? vitestRunArgs(plan.args) : plan.args;
    const run = await runPlan(
      project,
      workspace,
      { ...plan, args },
      { reportFlags, resultCodes: [0, 1] },
    );
    const { result } = run;
    const report = await readIfPresent(result.container, JSON_REPORT);
    const counts =
      report === undefined
        ? undefined
        : plan.tool === "vitest"
          ? parseVitestJson(report, SRC)
          : parseJestJson(report, SRC);
    return {
      ...run,
      gate: testsGate(counts, result.exitCode, tail(result, 20)),
    };
  }
  const run = await runPlan(project, workspace, plan, { resultCodes: "any" });
  const { result } = run;
  // node:test's TAP names failing files by absolute path.
  const output = `${result.stdout}\n${result.stderr}`.replaceAll(`${SRC}/`, "");
  const parsers =
    plan.kind === "tool" || plan.parseAs
      ? [SUMMARY_PARSERS[plan.kind === "tool" ? plan.tool : plan.parseAs!]]
      : Object.values(SUMMARY_PARSERS);
  const counts = parsers
    .map((parse) => parse?.(output))
    .find((parsed) => parsed !== undefined);
  const gate =
    counts === undefined && plan.kind === "script" && !plan.parseAs
      ? exitCodeGate("tests", result.exitCode, tail(result, 20))
      : testsGate(counts, result.exitCode, tail(result, 20));
  return { ...run, gate };
}

async function coverageOf(
  project: Project,
  plan: RunnablePlan,
  suite: ExecResult,
): Promise<{ gates: GateVerdict[]; report: Directory }> {
  const source: CoverageSource | undefined = plan.coverage;
  if (!source) {
    return {
      gates: [skippedGate("coverage", noCoverage(plan))],
      report: dag.directory(),
    };
  }
  const reported =
    source === "runner"
      ? suite
      : await capture(
          suite.container,
          project.packageManager.exec(source, wrapperReport(source)),
        );
  // Lazy: only read when the gates passed, and then the tool has written it.
  const report = reported.container.directory(COVERAGE_DIR);
  const summary = await readIfPresent(reported.container, COVERAGE_SUMMARY);
  return {
    gates:
      summary === undefined
        ? [
            brokenGate(
              "coverage: lines",
              `${source === "runner" ? (plan.kind === "tool" ? plan.tool : "the runner") : source} wrote no coverage summary (${tail(reported)})`,
            ),
          ]
        : coverageMinimumGates(summary, project.config.coverage),
    report,
  };
}

function noCoverage(plan: RunnablePlan): string {
  if (plan.kind === "tool" && plan.tool === "vitest")
    return "vitest has no coverage provider: add @vitest/coverage-v8 to devDependencies";
  return `${plan.kind === "tool" ? plan.tool : `the "${plan.script}" script`} does not measure coverage: wrap the runner in c8 or nyc (e.g. "test": "c8 node --test") for a coverage gate`;
}

// vitest without "run" watches when it thinks it has a terminal; "run" keeps CI's behaviour explicit.
function vitestRunArgs(args: string[]): string[] {
  if (args[0] === "run" || args.includes("--run")) return args;
  const rest = args[0] === "watch" || args[0] === "dev" ? args.slice(1) : args;
  return ["run", ...rest];
}

function vitestFlags(withCoverage: boolean): string[] {
  return [
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${JSON_REPORT}`,
    ...(withCoverage
      ? [
          "--coverage.enabled",
          "--coverage.reportOnFailure",
          "--coverage.reporter=text-summary",
          "--coverage.reporter=json-summary",
          "--coverage.reporter=html",
          `--coverage.reportsDirectory=${COVERAGE_DIR}`,
        ]
      : []),
  ];
}

function jestFlags(withCoverage: boolean): string[] {
  return [
    "--ci",
    "--json",
    `--outputFile=${JSON_REPORT}`,
    ...(withCoverage
      ? [
          "--coverage",
          "--coverageReporters=text-summary",
          "--coverageReporters=json-summary",
          "--coverageReporters=html",
          `--coverageDirectory=${COVERAGE_DIR}`,
        ]
      : []),
  ];
}

// c8 keeps raw V8 coverage in coverage/tmp and nyc in .nyc_output (their defaults); both report it again on demand.
function wrapperReport(source: "c8" | "nyc"): string[] {
  const reporters = [
    "--reporter=json-summary",
    "--reporter=text-summary",
    "--reporter=html",
  ];
  return source === "c8"
    ? [
        "report",
        ...reporters,
        `--reports-dir=${COVERAGE_DIR}`,
        "--temp-directory=coverage/tmp",
      ]
    : ["report", ...reporters, `--report-dir=${COVERAGE_DIR}`];
}
