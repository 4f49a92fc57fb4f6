import { loadResult, type LoadResult } from "../load/result.js";

interface ArtilleryPeriod {
  counters?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
  firstMetricAt?: number;
  lastMetricAt?: number;
}

interface ArtilleryReport {
  aggregate: ArtilleryPeriod;
  intermediate?: ArtilleryPeriod[];
}

const RESPONSE_TIME = "http.response_time";
const STATUS_COUNTER = /^http\.codes\.(\d{3})$/;

/**
 * The result of `artillery run --output report.json`: figures from its `aggregate`, the worst of its `intermediate`
 * windows alongside. Failed requests are counted here, not taken from Artillery's ensure plugin (whose legacy
 * maxErrorRate counts failed virtual users): requests never answered (http.requests - http.responses: refused, reset,
 * timed out) plus answers with status >= 400.
 */
export function parseArtilleryReport(json: string): LoadResult {
  const report = JSON.parse(json) as ArtilleryReport;
  if (!report.aggregate?.counters)
    throw new Error(
      "not an Artillery JSON report: it has no aggregate counters",
    );
  const windows = (report.intermediate ?? []).map(periodFigures);
  const worst = windows
    .filter((window) => window.requests > 0)
    .sort(
      (a, b) => b.errorRate - a.errorRate || (b.p95Ms ?? 0) - (a.p95Ms ?? 0),
    )[0];
  const { aggregate } = report;
  const counters = aggregate.counters ?? {};
  const figures = periodFigures(aggregate);
  const seconds = Math.max(
    1,
    ((aggregate.lastMetricAt ?? 0) - (aggregate.firstMetricAt ?? 0)) / 1000,
  );
  return loadResult({
    requests: figures.requests,
    failedRequests: figures.failedRequests,
    p50Ms: aggregate.summaries?.[RESPONSE_TIME]?.p50,
    p95Ms: figures.p95Ms,
    p99Ms: aggregate.summaries?.[RESPONSE_TIME]?.p99,
    throughputRps: figures.requests / seconds,
    droppedIterations: counters["vusers.skipped"] ?? 0,
    failures: failureKinds(counters),
    ...(worst && windows.length > 1
      ? {
          worstWindow: {
            p95Ms: worst.p95Ms ?? 0,
            errorRate: worst.errorRate,
            requests: worst.requests,
          },
        }
      : {}),
  });
}

function periodFigures(period: ArtilleryPeriod) {
  const counters = period.counters ?? {};
  const requests = counters["http.requests"] ?? 0;
  const unanswered = Math.max(0, requests - (counters["http.responses"] ?? 0));
  const errorAnswers = Object.entries(counters)
    .filter(([name]) => Number(STATUS_COUNTER.exec(name)?.[1]) >= 400)
    .reduce((total, [, count]) => total + count, 0);
  const failedRequests = unanswered + errorAnswers;
  return {
    requests,
    failedRequests,
    errorRate: requests ? failedRequests / requests : 0,
    p95Ms: period.summaries?.[RESPONSE_TIME]?.p95,
  };
}

const ENDPOINT_STATUS_COUNTER =
  /^plugins\.metrics-by-endpoint\.(.+)\.codes\.(\d{3})$/;

/**
 * "HTTP 500 GET /notes"-style kinds when Artillery's metrics-by-endpoint counters name the endpoint (they do by
 * default), else "HTTP 500"; transport error codes ("ECONNREFUSED") as they are; each with its count.
 */
function failureKinds(
  counters: Record<string, number>,
): Record<string, number> {
  const kinds: Record<string, number> = {};
  const byEndpoint = Object.entries(counters).some(([name]) =>
    ENDPOINT_STATUS_COUNTER.test(name),
  );
  for (const [name, count] of Object.entries(counters)) {
    const endpoint = ENDPOINT_STATUS_COUNTER.exec(name);
    const status = byEndpoint ? endpoint?.[2] : STATUS_COUNTER.exec(name)?.[1];
    if (status && Number(status) >= 400)
      kinds[endpoint ? `HTTP ${status} ${endpoint[1]}` : `HTTP ${status}`] =
        count;
    else if (name.startsWith("errors."))
      kinds[name.slice("errors.".length)] = count;
  }
  return kinds;
}
