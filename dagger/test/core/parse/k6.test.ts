import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  failedK6Thresholds,
  K6_TREND_STATS,
  parseK6Summary,
} from "../../../src/core/parse/k6.js";

// Summaries in the shape k6 v1.4's summary wrapper writes for --summary-export (oldJSONSummary): flattened metric
// values, a rate's value under "value", thresholds as "<expression>": <failed>. Written by hand from that source,
// since k6 cannot run on this project's machines.
const report = (name: string) =>
  readFileSync(
    new URL(`../../fixtures/load/reports/${name}.json`, import.meta.url),
    "utf8",
  );

describe("parseK6Summary", () => {
  it("reads the figures, and leaves p99 undefined under k6's default trend stats", () => {
    expect(parseK6Summary(report("k6-default-trend-stats"))).toEqual({
      requests: 40,
      failedRequests: 1,
      errorRate: 0.025,
      p50Ms: 12.4,
      p95Ms: 131.9,
      p99Ms: undefined,
      throughputRps: 7.93,
      droppedIterations: 0,
      failures: {},
    });
  });

  it("reads p(99) when the trend stats ask for it, and the dropped iterations", () => {
    const result = parseK6Summary(report("k6-with-p99"));
    expect(result.p99Ms).toBe(1450.9);
    expect(result.droppedIterations).toBe(7);
    expect(result.errorRate).toBe(0);
    // k6's default trend stats, which every gate and the summary line read, plus the p(99) the p99 gate needs.
    expect(K6_TREND_STATS).toEqual([
      "avg",
      "min",
      "med",
      "max",
      "p(90)",
      "p(95)",
      "p(99)",
    ]);
  });

  it("counts failed requests from the rate when passes is missing", () => {
    const summary = {
      metrics: {
        http_reqs: { count: 200, rate: 20 },
        http_req_failed: { value: 0.1 },
        http_req_duration: { med: 1, "p(95)": 2 },
      },
    };
    expect(parseK6Summary(JSON.stringify(summary)).failedRequests).toBe(20);
  });

  it("refuses a file that is not a summary export", () => {
    expect(() => parseK6Summary("{}")).toThrow("not a k6 summary export");
  });
});

describe("failedK6Thresholds", () => {
  it("lists the thresholds marked true, which in the export means failed", () => {
    expect(failedK6Thresholds(report("k6-default-trend-stats"))).toEqual([
      "checks: rate>0.99",
    ]);
    expect(failedK6Thresholds(report("k6-with-p99"))).toEqual([]);
  });
});
