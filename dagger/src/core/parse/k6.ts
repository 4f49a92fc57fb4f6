import { loadResult, type LoadResult } from "../load/result.js";

/**
 * k6's `--summary-export` file, as k6 v1's summary wrapper (internal/js/summary-wrapper.js, oldJSONSummary) writes
 * it: each metric is its values object flattened, a rate's `rate` renamed `value`, and a metric with thresholds gets
 * `thresholds: { "<expression>": <failed?> }` where `true` means the threshold FAILED (it is `!ok`).
 */
interface K6SummaryExport {
  metrics: Record<string, Record<string, unknown> | undefined>;
}

/** The exit code k6 uses when thresholds were crossed: the run completed and the summary is there to read. */
export const K6_THRESHOLDS_CROSSED = 99;

/** The trend statistics Gantry asks k6 for: k6's default (avg, min, med, max, p(90), p(95)) has no p(99). */
export const K6_TREND_STATS = [
  "avg",
  "min",
  "med",
  "max",
  "p(90)",
  "p(95)",
  "p(99)",
];

/**
 * The result of k6's summary export. http_req_failed is k6's own failed-request rate (status >= 400 or no answer by
 * default), so its `passes` (requests that failed) is the failed-request count; a p(99) that the summary trend stats
 * did not ask for stays undefined rather than guessed.
 */
export function parseK6Summary(json: string): LoadResult {
  const { metrics } = JSON.parse(json) as K6SummaryExport;
  if (!metrics) throw new Error("not a k6 summary export: it has no metrics");
  const duration = metrics.http_req_duration ?? {};
  const requests = number(metrics.http_reqs?.count);
  const failed = metrics.http_req_failed;
  const failedRequests =
    failed?.passes !== undefined
      ? number(failed.passes)
      : Math.round(number(failed?.value) * requests);
  return loadResult({
    requests,
    failedRequests,
    p50Ms: optional(duration.med),
    p95Ms: optional(duration["p(95)"]),
    p99Ms: optional(duration["p(99)"]),
    throughputRps: number(metrics.http_reqs?.rate),
    droppedIterations: number(metrics.dropped_iterations?.count),
    failures: {},
  });
}

/** The script's own thresholds that failed (value `true` in the export), as "metric: expression". */
export function failedK6Thresholds(json: string): string[] {
  const { metrics } = JSON.parse(json) as K6SummaryExport;
  return Object.entries(metrics ?? {}).flatMap(([metric, values]) =>
    Object.entries((values?.thresholds ?? {}) as Record<string, boolean>)
      .filter(([, failedThreshold]) => failedThreshold === true)
      .map(([expression]) => `${metric}: ${expression}`),
  );
}

function number(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function optional(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value)
    ? value
    : undefined;
}
