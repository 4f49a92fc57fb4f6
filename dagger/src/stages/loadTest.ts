import type { Container } from "@dagger.io/dagger";
import { LoadProfile } from "../core/config.js";
import {
  allPassed,
  brokenGate,
  skippedGate,
  timeStage,
  type GateVerdict,
} from "../core/gates.js";
import { loadGates } from "../core/load/gates.js";
import { scheduleOf } from "../core/load/profiles.js";
import { renderReport, ReportFormat } from "../core/report.js";
import {
  judgeStep,
  nextStressRate,
  stressGates,
  stressStepLines,
  type StressStep,
} from "../core/load/stress.js";
import { checkedImage, noDockerfile } from "./build.js";
import { loadRunner, runLoad, type LoadTarget } from "./load/runners.js";
import { withServiceUnderLoad } from "./load/service.js";
import type { Project } from "./workspace.js";

/** A load test's gates, and for the stress profile one line per step. */
export interface LoadTestRun {
  gates: GateVerdict[];
  stressSteps: string[];
}

/** `load-test`'s output: the report of its gates, then the stress steps; thrown when a gate failed. */
export async function loadTestReport(
  project: Project,
  profile: LoadProfile,
): Promise<string> {
  let stressSteps: string[] = [];
  const gates = await timeStage(`load (${profile})`, async () => {
    const run = await runLoadTest(project, profile);
    stressSteps = run.stressSteps;
    return run.gates;
  });
  const report = [renderReport(gates, ReportFormat.text), ...stressSteps].join(
    "\n",
  );
  if (!allPassed(gates)) throw new Error(report);
  return report;
}

/** The load test's gates alone, as `ci` reports them. */
export async function loadTestGates(
  project: Project,
  profile: LoadProfile,
): Promise<GateVerdict[]> {
  return (await runLoadTest(project, profile)).gates;
}

/**
 * Runs the image as a service (Postgres bound and migrated when enabled) and drives it with the configured runner
 * (k6 or Artillery) on the profile's schedule; every gate comes from the measured result. Skipped without an image.
 */
export async function runLoadTest(
  project: Project,
  profile: LoadProfile,
): Promise<LoadTestRun> {
  const name = `load (${profile})`;
  const image = checkedImage(project);
  if (!image)
    return {
      gates: [skippedGate(name, noDockerfile(project))],
      stressSteps: [],
    };
  const runnerReady = loadRunner(project);
  // Awaited inside the body; a failure before it is reached must not surface as an unhandled rejection.
  runnerReady.catch(() => undefined);
  return withServiceUnderLoad(project, image, async (target) => {
    const runner = await runnerReady;
    return profile === LoadProfile.stress
      ? stressTest(project, runner, target, name)
      : fixedProfileTest(project, runner, target, profile, name);
  });
}

async function fixedProfileTest(
  project: Project,
  runner: Container,
  target: LoadTarget,
  profile: Exclude<LoadProfile, LoadProfile.stress>,
  name: string,
): Promise<LoadTestRun> {
  const { loadTest } = project.config;
  const limits = loadTest.profiles[profile];
  const outcome = await runLoad(
    project,
    runner,
    target,
    scheduleOf(loadTest, limits.stages),
    profile,
  );
  if ("failure" in outcome)
    return { gates: [brokenGate(name, outcome.failure)], stressSteps: [] };
  const thresholds = outcome.scriptThresholdsFailed;
  return {
    gates: [
      ...loadGates(name, outcome.result, limits),
      ...(thresholds.length
        ? [
            {
              name: `${name}: script thresholds`,
              status: "fail" as const,
              figure: `${thresholds.length} crossed`,
              threshold: "none crossed",
              details: thresholds,
            },
          ]
        : []),
    ],
    stressSteps: [],
  };
}

/** One short constant-rate run per step, rising, until the SLO broke in breakAfter steps in a row or at the ceiling. */
async function stressTest(
  project: Project,
  runner: Container,
  target: LoadTarget,
  name: string,
): Promise<LoadTestRun> {
  const { loadTest } = project.config;
  const plan = loadTest.profiles.stress;
  const steps: StressStep[] = [];
  for (
    let rate = nextStressRate(steps, plan);
    rate !== undefined;
    rate = nextStressRate(steps, plan)
  ) {
    const outcome = await runLoad(
      project,
      runner,
      target,
      scheduleOf(loadTest, [{ seconds: plan.stepSeconds, rate }]),
      LoadProfile.stress,
    );
    if ("failure" in outcome)
      return {
        gates: [brokenGate(name, `step ${rate} it/s: ${outcome.failure}`)],
        stressSteps: stressStepLines(steps, plan),
      };
    steps.push(judgeStep(rate, outcome.result, plan));
  }
  return {
    gates: stressGates(name, steps, plan),
    stressSteps: stressStepLines(steps, plan),
  };
}
