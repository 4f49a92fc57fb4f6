import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArtilleryReport } from "../../../src/core/parse/artillery.js";

// Real reports of artillery 2.0.34 (`run --output`) against dagger/test/fixtures/load/service.
const report = (name: string) =>
  readFileSync(
    new URL(
      `../../fixtures/load/reports/artillery-${name}.json`,
      import.meta.url,
    ),
    "utf8",
  );

describe("parseArtilleryReport", () => {
  it("reads percentiles, throughput and the worst intermediate window", () => {
    const result = parseArtilleryReport(report("slow"));
    expect(result).toMatchObject({
      requests: 30,
      failedRequests: 0,
      errorRate: 0,
      p50Ms: 12.1,
      p95Ms: 1249.1,
      p99Ms: 1274.3,
      droppedIterations: 0,
      failures: {},
    });
    // 30 requests between the first and last metric, 4.23 s apart.
    expect(result.throughputRps).toBeCloseTo(30 / 4.23, 1);
    expect(result.worstWindow?.requests).toBeGreaterThan(0);
  });

  it("counts answers with status >= 400 as failed requests", () => {
    const result = parseArtilleryReport(report("flaky"));
    expect(result).toMatchObject({
      requests: 24,
      failedRequests: 6,
      errorRate: 0.25,
      failures: { "HTTP 500 /flaky": 6 },
    });
  });

  it("counts requests never answered as failed, with their error code", () => {
    const result = parseArtilleryReport(report("refused"));
    expect(result).toMatchObject({
      requests: 10,
      failedRequests: 10,
      errorRate: 1,
      p95Ms: undefined,
      failures: { ECONNREFUSED: 10 },
    });
  });

  it("reports arrivals skipped at the virtual-user cap and timed-out requests", () => {
    const result = parseArtilleryReport(report("overload"));
    expect(result).toMatchObject({
      requests: 238,
      failedRequests: 7,
      droppedIterations: 482,
      failures: { ETIMEDOUT: 7 },
    });
  });

  it("refuses a file that is not an Artillery report", () => {
    expect(() => parseArtilleryReport('{"metrics":{}}')).toThrow(
      "not an Artillery JSON report",
    );
  });
});
