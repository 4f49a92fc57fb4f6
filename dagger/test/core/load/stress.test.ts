import { describe, expect, it } from "vitest";
import { loadResult } from "../../../src/core/load/result.js";
import {
  breakingPoint,
  judgeStep,
  nextStressRate,
  stressGates,
  stressStepLines,
  type StressPlan,
  type StressStep,
} from "../../../src/core/load/stress.js";

const plan: StressPlan = {
  p95Ms: 500,
  p99Ms: 1000,
  maxErrorRate: 0.01,
  minThroughputRps: 0,
  startRate: 10,
  stepRate: 10,
  maxRate: 60,
  stepSeconds: 5,
  breakAfter: 2,
};

/** A step at `rate` that held (p95 low) or broke (p95 over the SLO). */
const step = (rate: number, held: boolean): StressStep =>
  judgeStep(
    rate,
    loadResult({
      requests: rate * 5,
      failedRequests: 0,
      p50Ms: 20,
      p95Ms: held ? 90 : 900,
      p99Ms: held ? 120 : 950,
      throughputRps: rate,
      droppedIterations: 0,
      failures: {},
    }),
    plan,
  );

/** Runs the stress loop against a service that holds up to `capacity`, with optional noisy rates that break anyway. */
function run(capacity: number, noisy: number[] = []): StressStep[] {
  const steps: StressStep[] = [];
  for (
    let rate = nextStressRate(steps, plan);
    rate !== undefined;
    rate = nextStressRate(steps, plan)
  )
    steps.push(step(rate, rate <= capacity && !noisy.includes(rate)));
  return steps;
}

describe("the stress loop", () => {
  it("rises step by step and stops after breakAfter broken steps in a row", () => {
    const steps = run(30);
    expect(steps.map((s) => s.rate)).toEqual([10, 20, 30, 40, 50]);
    const { held, broke } = breakingPoint(steps);
    expect([held?.rate, broke?.rate]).toEqual([30, 40]);
  });

  it("does not stop on a single noisy step that recovers", () => {
    const steps = run(40, [20]);
    expect(steps.map((s) => s.rate)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(breakingPoint(steps).broke?.rate).toBe(50);
  });

  it("stops at the ceiling when nothing broke", () => {
    const steps = run(1000);
    expect(steps.map((s) => s.rate)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(breakingPoint(steps)).toEqual({ held: steps[5] });
    expect(stressGates("load (stress)", steps, plan)[0]).toMatchObject({
      status: "pass",
      figure:
        "held 60 it/s (60 req/s), no breaking point up to the ceiling, 60 it/s",
    });
  });
});

describe("stressGates", () => {
  it("reports the highest rate that held and the first that broke", () => {
    const [gate] = stressGates("load (stress)", run(30), plan);
    expect(gate).toMatchObject({
      name: "load (stress): breaking point",
      status: "pass",
      figure: "held 30 it/s (30 req/s), broke at 40 it/s (± 10)",
      threshold: "held >= 0 req/s",
    });
  });

  it("fails when not even the first step held, or the held rate is below the minimum throughput", () => {
    expect(stressGates("load (stress)", run(0), plan)[0]).toMatchObject({
      status: "fail",
      figure: "broke at the first step, 10 it/s",
    });
    const [gate] = stressGates("load (stress)", run(30), {
      ...plan,
      minThroughputRps: 35,
    });
    expect(gate.status).toBe("fail");
    expect(gate.details).toEqual([
      "the highest rate that held gave 30 req/s, below the required 35 req/s",
    ]);
  });

  it("lists every step with its figures and verdict", () => {
    const lines = stressStepLines(run(10), plan);
    expect(lines[0]).toMatch(/^stress steps \(5 s each, SLO p95 <= 500 ms/);
    expect(lines.slice(1)).toEqual([
      "  10 it/s: 50 requests, 10 req/s, p50 20 ms, p95 90 ms, p99 120 ms, errors 0%: held",
      "  20 it/s: 100 requests, 20 req/s, p50 20 ms, p95 900 ms, p99 950 ms, errors 0%: broke (p95 900 ms > 500 ms)",
      "  30 it/s: 150 requests, 30 req/s, p50 20 ms, p95 900 ms, p99 950 ms, errors 0%: broke (p95 900 ms > 500 ms)",
    ]);
  });
});

describe("the stress report at its limits", () => {
  it("passes at exactly the minimum throughput and fails one step below it", () => {
    const steps = run(30);
    expect(
      stressGates("load (stress)", steps, { ...plan, minThroughputRps: 30 })[0],
    ).toMatchObject({ status: "pass", details: [] });
    expect(
      stressGates("load (stress)", steps, {
        ...plan,
        minThroughputRps: 30.01,
      })[0].status,
    ).toBe("fail");
  });

  it("says why when not even the first step held, with the whole SLO", () => {
    expect(
      stressGates("load (stress)", run(0), { ...plan, maxErrorRate: 0.05 })[0]
        .details,
    ).toEqual([
      "not even the first step held the SLO: p95 <= 500 ms, p99 <= 1000 ms, errors <= 5%, no dropped iterations; stops after 2 broken steps in a row or at 60 it/s",
    ]);
  });

  it("has no held step when the first broke, and fails a run without steps", () => {
    expect(breakingPoint(run(0)).held).toBeUndefined();
    expect(stressGates("load (stress)", [], plan)).toEqual([
      expect.objectContaining({
        status: "fail",
        details: ["no stress step ran"],
      }),
    ]);
  });

  it("names every breach of a broken step, comma-separated", () => {
    const broken = judgeStep(
      10,
      loadResult({
        requests: 50,
        failedRequests: 0,
        p50Ms: 20,
        p95Ms: 900,
        p99Ms: 1500,
        throughputRps: 10,
        droppedIterations: 0,
        failures: {},
      }),
      plan,
    );
    expect(stressStepLines([broken], plan)[1]).toBe(
      "  10 it/s: 50 requests, 10 req/s, p50 20 ms, p95 900 ms, p99 1500 ms, errors 0%: broke (p95 900 ms > 500 ms, p99 1500 ms > 1000 ms)",
    );
  });

  it("marks a step that held as held in the step lines", () => {
    expect(stressStepLines([step(10, true)], plan)[1]).toBe(
      "  10 it/s: 50 requests, 10 req/s, p50 20 ms, p95 90 ms, p99 120 ms, errors 0%: held",
    );
  });
});
