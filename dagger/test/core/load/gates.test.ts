import { describe, expect, it } from "vitest";
import { loadGates, sloBreaches } from "../../../src/core/load/gates.js";
import { loadResult } from "../../../src/core/load/result.js";

const slo = {
  p95Ms: 500,
  p99Ms: 1000,
  maxErrorRate: 0.01,
  minThroughputRps: 5,
};
const healthy = loadResult({
  requests: 400,
  failedRequests: 0,
  p50Ms: 12,
  p95Ms: 80,
  p99Ms: 140,
  throughputRps: 39.5,
  droppedIterations: 0,
  failures: {},
});

describe("loadGates", () => {
  it("gives p95, p99, errors and throughput, each with figure and threshold", () => {
    expect(loadGates("load (smoke)", healthy, slo)).toEqual([
      {
        name: "load (smoke): p95",
        status: "pass",
        figure: "80 ms",
        threshold: "<= 500 ms",
        details: [],
      },
      {
        name: "load (smoke): p99",
        status: "pass",
        figure: "140 ms",
        threshold: "<= 1000 ms",
        details: [],
      },
      {
        name: "load (smoke): errors",
        status: "pass",
        figure: "0%",
        threshold: "<= 1%",
        details: [],
      },
      {
        name: "load (smoke): throughput",
        status: "pass",
        figure: "39.5 req/s",
        threshold: ">= 5 req/s",
        details: [],
      },
    ]);
  });

  it("fails each gate on its own figure and says what failed", () => {
    const bad = loadResult({
      ...healthy,
      failedRequests: 40,
      p95Ms: 1249.1,
      p99Ms: 1274.3,
      throughputRps: 3,
      droppedIterations: 12,
      failures: { "HTTP 500": 30, ETIMEDOUT: 10 },
    });
    const gates = loadGates("load (load)", bad, slo);
    expect(gates.map((gate) => [gate.name, gate.status, gate.figure])).toEqual([
      ["load (load): p95", "fail", "1249.1 ms"],
      ["load (load): p99", "fail", "1274.3 ms"],
      ["load (load): errors", "fail", "10%"],
      ["load (load): throughput", "fail", "3 req/s"],
    ]);
    expect(gates[2].details).toContain(
      "40 of 400 requests failed (HTTP status >= 400 or no answer): HTTP 500: 30, ETIMEDOUT: 10",
    );
    expect(gates[3].details.at(-1)).toMatch(/^12 iterations were not started/);
  });

  it("fails a percentile the runner did not report instead of passing it", () => {
    const [, p99] = loadGates(
      "load (smoke)",
      { ...healthy, p99Ms: undefined },
      slo,
    );
    expect(p99).toMatchObject({ status: "fail", figure: "did not run" });
    expect(p99.details[0]).toMatch(/summary-trend-stats/);
  });

  it("fails a run that sent no request", () => {
    const none = loadResult({ ...healthy, requests: 0, throughputRps: 0 });
    expect(loadGates("load (smoke)", none, slo)).toEqual([
      expect.objectContaining({
        status: "fail",
        details: ["the load script sent no HTTP request"],
      }),
    ]);
  });
});

describe("sloBreaches", () => {
  it("names every part of the SLO a run broke", () => {
    expect(sloBreaches(healthy, slo)).toEqual([]);
    expect(
      sloBreaches(
        loadResult({
          ...healthy,
          p95Ms: 812,
          failedRequests: 20,
          droppedIterations: 3,
        }),
        slo,
      ),
    ).toEqual([
      "p95 812 ms > 500 ms",
      "errors 5% > 1%",
      "3 iterations dropped",
    ]);
  });
});
