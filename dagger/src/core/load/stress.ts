import { brokenGate, type GateVerdict } from "../gates.js";
import { sloBreaches, type LoadSlo } from "./gates.js";
import { describeResult, round, type LoadResult } from "./result.js";

/** The stress profile: constant-rate steps from startRate up by stepRate, never above maxRate. */
export interface StressPlan extends LoadSlo {
  startRate: number;
  stepRate: number;
  maxRate: number;
  stepSeconds: number;
  /** Stop after this many consecutive steps broke the SLO. */
  breakAfter: number;
}

/** One step as run: its arrival rate (iterations per second), what it measured and what broke the SLO. */
export interface StressStep {
  rate: number;
  result: LoadResult;
  breaches: string[];
}

/** The step's outcome against the plan's SLO. */
export function judgeStep(
  rate: number,
  result: LoadResult,
  plan: StressPlan,
): StressStep {
  return { rate, result, breaches: sloBreaches(result, plan) };
}

/** The next step's rate, or undefined to stop: after breakAfter broken steps in a row, or past the ceiling. */
export function nextStressRate(
  steps: StressStep[],
  plan: StressPlan,
): number | undefined {
  if (!steps.length) return Math.min(plan.startRate, plan.maxRate);
  if (brokenStreak(steps).length >= plan.breakAfter) return undefined;
  const next = round(steps[steps.length - 1].rate + plan.stepRate);
  return next <= plan.maxRate ? next : undefined;
}

/**
 * Where the service broke: the first step of the last run of broken steps (a single noisy step that recovered does not
 * count), and the step before it, the highest rate that held; the truth lies between them, within one step.
 */
export function breakingPoint(steps: StressStep[]): {
  held?: StressStep;
  broke?: StressStep;
} {
  const streak = brokenStreak(steps);
  if (!streak.length) return { held: steps[steps.length - 1] };
  const broke = streak[0];
  const index = steps.indexOf(broke);
  return { held: index > 0 ? steps[index - 1] : undefined, broke };
}

/** The stress report: the breaking point with figure and threshold, every step in the details. */
export function stressGates(
  name: string,
  steps: StressStep[],
  plan: StressPlan,
): GateVerdict[] {
  if (!steps.length) return [brokenGate(name, "no stress step ran")];
  const { held, broke } = breakingPoint(steps);
  const heldRps = held ? round(held.result.throughputRps) : 0;
  const figure = !held
    ? `broke at the first step, ${steps[0].rate} it/s`
    : `held ${held.rate} it/s (${heldRps} req/s), ${
        broke
          ? `broke at ${broke.rate} it/s (± ${plan.stepRate})`
          : `no breaking point up to the ceiling, ${plan.maxRate} it/s`
      }`;
  const ok = held !== undefined && heldRps >= plan.minThroughputRps;
  return [
    {
      name: `${name}: breaking point`,
      status: ok ? "pass" : "fail",
      figure,
      threshold: `held >= ${plan.minThroughputRps} req/s`,
      details: ok
        ? []
        : held
          ? [
              `the highest rate that held gave ${heldRps} req/s, below the required ${plan.minThroughputRps} req/s`,
            ]
          : [`not even the first step held the SLO: ${sloLine(plan)}`],
    },
  ];
}

/** The stress report's body: the SLO each step is held to, then one line per step with its figures and verdict. */
export function stressStepLines(
  steps: StressStep[],
  plan: StressPlan,
): string[] {
  return [
    `stress steps (${plan.stepSeconds} s each, SLO ${sloLine(plan)}):`,
    ...steps.map(
      (step) =>
        `  ${step.rate} it/s: ${describeResult(step.result)}: ${step.breaches.length ? `broke (${step.breaches.join(", ")})` : "held"}`,
    ),
  ];
}

function sloLine(plan: StressPlan): string {
  return `p95 <= ${plan.p95Ms} ms, p99 <= ${plan.p99Ms} ms, errors <= ${plan.maxErrorRate * 100}%, no dropped iterations; stops after ${plan.breakAfter} broken steps in a row or at ${plan.maxRate} it/s`;
}

function brokenStreak(steps: StressStep[]): StressStep[] {
  let start = steps.length;
  while (start > 0 && steps[start - 1].breaches.length) start--;
  return steps.slice(start);
}
