import { maximumGate, type GateVerdict } from "../gates.js";

interface K6SummaryExport {
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
}

/** Gates k6's `--summary-export` JSON on p95 latency and the failed-request rate. */
export function loadGates(
  json: string,
  profile: string,
  limits: { p95Ms: number; maxErrorRate: number },
): GateVerdict[] {
  const { metrics } = JSON.parse(json) as K6SummaryExport;
  const duration = metrics.http_req_duration;
  const failed = metrics.http_req_failed;
  const requests = metrics.http_reqs;
  if (!duration || !failed || !requests) {
    return [
      {
        name: `load (${profile})`,
        status: "fail",
        figure: "no HTTP requests",
        threshold: "-",
        details: ["the k6 script made no HTTP request"],
      },
    ];
  }
  const errorRate = Number(failed.value ?? 0);
  const p95 = Number(duration["p(95)"]);
  const count = Number(requests.count);
  return [
    {
      ...maximumGate(`load (${profile}): p95`, p95, limits.p95Ms, " ms"),
      figure: `${p95.toFixed(1)} ms over ${count} requests`,
    },
    {
      ...maximumGate(
        `load (${profile}): errors`,
        errorRate * 100,
        limits.maxErrorRate * 100,
        "%",
      ),
    },
  ];
}
