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

// Hand-written reports in the shape of the real ones above (not produced by Artillery): a status at the 400 boundary,
// counters that only look like status counters, and intermediate windows chosen to decide the worst one.
describe("parseArtilleryReport, edges (hand-written)", () => {
  const period = (
    counters: Record<string, number>,
    p95?: number,
  ): Record<string, unknown> => ({
    counters,
    ...(p95 === undefined
      ? {}
      : { summaries: { "http.response_time": { p50: 1, p95, p99: p95 } } }),
  });
  const parse = (
    aggregate: Record<string, unknown>,
    intermediate?: Record<string, unknown>[],
  ) =>
    parseArtilleryReport(
      JSON.stringify({ aggregate, ...(intermediate ? { intermediate } : {}) }),
    );
  const answered = (requests: number, failed: number, p95: number) =>
    period(
      {
        "http.requests": requests,
        "http.responses": requests,
        "http.codes.200": requests - failed,
        ...(failed ? { "http.codes.503": failed } : {}),
      },
      p95,
    );

  it("counts status 400 and above as failed, 399 not, and only http.codes.<3 digits> counters", () => {
    const result = parse(
      period({
        "http.requests": 10,
        "http.responses": 10,
        "http.codes.200": 3,
        "http.codes.399": 2,
        "http.codes.400": 3,
        "custom.http.codes.500": 1,
        "http.codes.5000": 1,
        "http.codes.500.retried": 1,
        "vusers.created": 10,
        "errors.ECONNRESET": 0,
      }),
    );
    expect(result).toMatchObject({
      requests: 10,
      failedRequests: 3,
      errorRate: 0.3,
      failures: { "HTTP 400": 3, ECONNRESET: 0 },
    });
    expect(Object.keys(result.failures)).toEqual(["HTTP 400", "ECONNRESET"]);
  });

  it("names endpoints only from plugins.metrics-by-endpoint.<url>.codes.<3 digits> counters", () => {
    const result = parse(
      period({
        "http.requests": 3,
        "http.responses": 3,
        "http.codes.500": 3,
        "plugins.metrics-by-endpoint./a.codes.500": 1,
        "custom.plugins.metrics-by-endpoint./b.codes.500": 1,
        "plugins.metrics-by-endpoint./c.codes.5000": 1,
      }),
    );
    expect(result.failures).toEqual({ "HTTP 500 /a": 1 });
  });

  it("picks the window with the highest error rate, then the highest p95, among windows with requests", () => {
    const result = parse(answered(40, 4, 90), [
      period({ "http.requests": 0 }, 999),
      answered(10, 0, 100),
      answered(10, 1, 50),
      answered(10, 2, 40),
      answered(10, 2, 80),
    ]);
    expect(result.worstWindow).toEqual({
      p95Ms: 80,
      errorRate: 0.2,
      requests: 10,
    });
    const byLatency = parse(answered(20, 0, 90), [
      period({ "http.requests": 0 }, 999),
      answered(10, 0, 100),
      answered(10, 0, 300),
    ]);
    expect(byLatency.worstWindow).toEqual({
      p95Ms: 300,
      errorRate: 0,
      requests: 10,
    });
  });

  it("has no worst window with one window, no window with requests, or no intermediate reports", () => {
    expect(parse(answered(10, 1, 50), [answered(10, 1, 50)]).worstWindow).toBe(
      undefined,
    );
    expect(
      parse(answered(10, 1, 50), [
        period({ "http.requests": 0 }),
        period({ "http.requests": 0 }),
      ]).worstWindow,
    ).toBe(undefined);
    expect(parse(answered(10, 1, 50)).worstWindow).toBe(undefined);
  });
});
