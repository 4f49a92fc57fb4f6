/**
 * What one load run measured, in one shape whichever runner (k6 or Artillery) drove it: every gate is computed from
 * this, never from a runner's own pass/fail. A failed request is one answered with an HTTP status of 400 or more or
 * not answered at all (refused, reset, timed out), which is k6's own default for `http_req_failed`.
 */
export interface LoadResult {
  /** HTTP requests sent. */
  requests: number;
  /** Requests answered with status >= 400 or not answered. */
  failedRequests: number;
  /** failedRequests / requests, 0..1 (0 without requests). */
  errorRate: number;
  /** Response-time percentiles in ms; undefined when the runner's output does not carry them. */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Requests per second over the run. */
  throughputRps: number;
  /** Script iterations the runner could not start (the virtual-user cap was reached): load the service never got. */
  droppedIterations: number;
  /** What failed, e.g. "HTTP 500" → 12, "ETIMEDOUT" → 3, when the runner tells. */
  failures: Record<string, number>;
  /** The worst reporting window (Artillery's intermediate reports), for a run whose trouble was brief. */
  worstWindow?: { p95Ms: number; errorRate: number; requests: number };
}

/** A result from counts, so both parsers derive the rate the same way. */
export function loadResult(fields: Omit<LoadResult, "errorRate">): LoadResult {
  return {
    ...fields,
    errorRate: fields.requests ? fields.failedRequests / fields.requests : 0,
  };
}

/** One line: the figures a person looks at first. */
export function describeResult(result: LoadResult): string {
  const ms = (value: number | undefined) =>
    value === undefined ? "n/a" : `${Math.round(value)} ms`;
  return `${result.requests} requests, ${round(result.throughputRps)} req/s, p50 ${ms(result.p50Ms)}, p95 ${ms(result.p95Ms)}, p99 ${ms(result.p99Ms)}, errors ${round(result.errorRate * 100)}%`;
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
