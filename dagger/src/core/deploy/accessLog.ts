/** One request as the proxy logged it in the `gantry` log format of nginx.ts. */
export interface ProxiedRequest {
  status: number;
  /** The address (ip:port) that gave the answer: the last one nginx tried. */
  answeredBy: string | null;
  /** That upstream's response time. */
  ms: number | null;
}

/** What the requests one upstream answered during the watch window look like. */
export interface TrafficSummary {
  requests: number;
  /** Answers with a 5xx status: a 4xx is the client's error, not the new version's. */
  errors: number;
  errorRate: number;
  p95Ms: number;
}

/** Parses the proxy's `docker logs` stdout: one JSON object per request; anything else (notices) is skipped. */
export function parseAccessLog(text: string): ProxiedRequest[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => {
      const entry = JSON.parse(line) as {
        status: number;
        upstream: string;
        seconds: string;
      };
      // nginx lists every upstream it tried, comma-separated, when it retried a request on another one.
      const answeredBy = entry.upstream.split(", ").at(-1) ?? "-";
      const seconds = Number.parseFloat(entry.seconds.split(", ").at(-1) ?? "");
      return {
        status: entry.status,
        answeredBy: answeredBy === "-" ? null : answeredBy,
        ms: Number.isNaN(seconds) ? null : Math.round(seconds * 1000),
      };
    });
}

/** Error rate and p95 latency of the requests `upstream` (ip:port) answered. */
export function summarizeTraffic(
  requests: ProxiedRequest[],
  upstream: string,
): TrafficSummary {
  const answered = requests.filter(
    (request) => request.answeredBy === upstream,
  );
  const errors = answered.filter((request) => request.status >= 500).length;
  const latencies = answered
    .map((request) => request.ms ?? 0)
    .sort((a, b) => a - b);
  const p95Index = Math.max(0, Math.ceil(latencies.length * 0.95) - 1);
  return {
    requests: answered.length,
    errors,
    errorRate: answered.length ? errors / answered.length : 0,
    p95Ms: latencies[p95Index] ?? 0,
  };
}
