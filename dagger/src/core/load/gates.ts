import {
  brokenGate,
  maximumGate,
  minimumGate,
  type GateVerdict,
} from "../gates.js";
import { describeResult, round, type LoadResult } from "./result.js";

/** The service-level objective a profile is gated on. */
export interface LoadSlo {
  p95Ms: number;
  p99Ms: number;
  maxErrorRate: number;
  minThroughputRps: number;
}

/** p95, p99, error-rate and throughput gates of one run, each with its figure and threshold. */
export function loadGates(
  name: string,
  result: LoadResult,
  slo: LoadSlo,
): GateVerdict[] {
  if (!result.requests)
    return [brokenGate(name, "the load script sent no HTTP request")];
  const summary = describeResult(result);
  return [
    latencyGate(`${name}: p95`, result.p95Ms, slo.p95Ms, summary),
    latencyGate(`${name}: p99`, result.p99Ms, slo.p99Ms, summary),
    withDetails(
      maximumGate(
        `${name}: errors`,
        result.errorRate * 100,
        slo.maxErrorRate * 100,
        "%",
      ),
      failureDetails(result),
    ),
    withDetails(
      minimumGate(
        `${name}: throughput`,
        result.throughputRps,
        slo.minThroughputRps,
        " req/s",
      ),
      result.droppedIterations
        ? [
            `${result.droppedIterations} iterations were not started: every virtual user was busy (loadTest.maxVirtualUsers)`,
          ]
        : [],
    ),
  ];
}

/** What breaks the SLO in one run, one phrase each; empty when it held. */
export function sloBreaches(result: LoadResult, slo: LoadSlo): string[] {
  if (!result.requests) return ["no HTTP request"];
  const over = (label: string, value: number | undefined, limit: number) =>
    value === undefined
      ? [`no ${label} figure`]
      : value > limit
        ? [`${label} ${Math.round(value)} ms > ${limit} ms`]
        : [];
  return [
    ...over("p95", result.p95Ms, slo.p95Ms),
    ...over("p99", result.p99Ms, slo.p99Ms),
    ...(result.errorRate > slo.maxErrorRate
      ? [
          `errors ${round(result.errorRate * 100)}% > ${slo.maxErrorRate * 100}%`,
        ]
      : []),
    ...(result.droppedIterations
      ? [`${result.droppedIterations} iterations dropped`]
      : []),
  ];
}

function latencyGate(
  name: string,
  figure: number | undefined,
  limit: number,
  summary: string,
): GateVerdict {
  if (figure === undefined)
    return brokenGate(
      name,
      "the runner's summary has no such percentile (k6 reports p(99) only when --summary-trend-stats asks for it)",
    );
  const gate = maximumGate(name, figure, limit, " ms");
  return gate.status === "pass" ? gate : withDetails(gate, [summary]);
}

function failureDetails(result: LoadResult): string[] {
  if (!result.failedRequests) return [];
  const kinds = Object.entries(result.failures)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => `${kind}: ${count}`);
  return [
    `${result.failedRequests} of ${result.requests} requests failed (HTTP status >= 400 or no answer)${kinds.length ? `: ${kinds.join(", ")}` : ""}`,
  ];
}

function withDetails(gate: GateVerdict, extra: string[]): GateVerdict {
  return gate.status === "pass"
    ? gate
    : { ...gate, details: [...gate.details, ...extra] };
}
