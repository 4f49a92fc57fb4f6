import { describe, expect, it } from "vitest";
import { loadGates, sloBreaches } from "../../../src/core/load/gates.js";
import { describeResult, loadResult } from "../../../src/core/load/result.js";

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

describe("load gates at their limits", () => {
  it("holds the SLO at exactly its limits and breaks it one step past each", () => {
    const atLimit = loadResult({
      ...healthy,
      p95Ms: 500,
      p99Ms: 1000,
      failedRequests: 4,
    });
    expect(atLimit.errorRate).toBe(0.01);
    expect(sloBreaches(atLimit, slo)).toEqual([]);
    expect(
      sloBreaches(
        loadResult({
          ...healthy,
          p95Ms: 500.4,
          p99Ms: 1000.6,
          failedRequests: 5,
        }),
        slo,
      ),
    ).toEqual([
      "p95 500 ms > 500 ms",
      "p99 1001 ms > 1000 ms",
      "errors 1.25% > 1%",
    ]);
  });

  it("counts a missing percentile and a run without requests as breaches", () => {
    expect(sloBreaches({ ...healthy, p95Ms: undefined }, slo)).toEqual([
      "no p95 figure",
    ]);
    expect(
      sloBreaches(
        loadResult({ ...healthy, requests: 0, throughputRps: 0 }),
        slo,
      ),
    ).toEqual(["no HTTP request"]);
  });

  it("adds the run's summary only to a failing latency gate, and failure kinds most frequent first", () => {
    const slow = loadResult({
      ...healthy,
      p95Ms: 501,
      failedRequests: 8,
      failures: { ETIMEDOUT: 2, "HTTP 502": 6 },
    });
    const [p95, p99, errors] = loadGates("load (smoke)", slow, slo);
    expect(p95.details).toEqual([
      "load (smoke): p95 is 501 ms, above the allowed 500 ms",
      "400 requests, 39.5 req/s, p50 12 ms, p95 501 ms, p99 140 ms, errors 2%",
    ]);
    expect(p99.details).toEqual([]);
    expect(errors.details).toEqual([
      "load (smoke): errors is 2%, above the allowed 1%",
      "8 of 400 requests failed (HTTP status >= 400 or no answer): HTTP 502: 6, ETIMEDOUT: 2",
    ]);
  });

  it("says how many requests failed when the runner does not say why, and nothing when none failed", () => {
    const unexplained = loadResult({ ...healthy, failedRequests: 8 });
    expect(loadGates("load (smoke)", unexplained, slo)[2].details).toEqual([
      "load (smoke): errors is 2%, above the allowed 1%",
      "8 of 400 requests failed (HTTP status >= 400 or no answer)",
    ]);
    const passingErrors = loadResult({
      ...healthy,
      failedRequests: 0,
      failures: { "HTTP 404": 0 },
    });
    expect(loadGates("load (smoke)", passingErrors, slo)[2].details).toEqual(
      [],
    );
    // A failing throughput gate without dropped iterations has only its own line.
    const slowStart = loadResult({
      ...healthy,
      throughputRps: 2,
      droppedIterations: 0,
    });
    const [throughput] = loadGates("load (smoke)", slowStart, slo).slice(3);
    expect(throughput.status).toBe("fail");
    expect(throughput.details).toHaveLength(1);
    expect(throughput.details[0]).not.toMatch(/iterations/);
  });
});

describe("passing load gates", () => {
  it("carry no details, even with dropped iterations or failures within the budget", () => {
    const gates = loadGates(
      "load (smoke)",
      loadResult({
        ...healthy,
        failedRequests: 2,
        droppedIterations: 3,
        failures: { "HTTP 500": 2 },
      }),
      slo,
    );
    expect(gates.map((gate) => [gate.status, gate.details])).toEqual([
      ["pass", []],
      ["pass", []],
      ["pass", []],
      ["pass", []],
    ]);
  });
});

describe("describeResult", () => {
  it("rounds the figures, shows a missing percentile as n/a and the error rate in percent", () => {
    expect(
      describeResult(
        loadResult({
          ...healthy,
          failedRequests: 10,
          p50Ms: 12.4,
          p99Ms: undefined,
          throughputRps: 39.456,
        }),
      ),
    ).toBe(
      "400 requests, 39.46 req/s, p50 12 ms, p95 80 ms, p99 n/a, errors 2.5%",
    );
  });
});
