import type { TrafficSummary } from "./accessLog.js";

/** What the probe does: request `paths` of `baseUrl` in rounds for `durationMs` (at least one round), stopping early after an all-2xx round when `untilOk`. */
export interface ProbePlan {
  baseUrl: string;
  paths: string[];
  durationMs: number;
  intervalMs: number;
  untilOk: boolean;
}

/** One request: `status` 0 when no response came back. */
export interface ProbeSample {
  path: string;
  status: number;
  ms: number;
  error?: string;
}

/**
 * Runs with `node --input-type=module --eval` in the app's own image on the app's Docker network (the only place
 * the containers are reachable from); reads GANTRY_PROBE (a ProbePlan) and prints the samples as JSON.
 */
export const PROBE_SCRIPT = `
const plan = JSON.parse(process.env.GANTRY_PROBE);
const samples = [];
const started = Date.now();
do {
  let roundOk = true;
  for (const path of plan.paths) {
    const begin = performance.now();
    try {
      const response = await fetch(plan.baseUrl + path, { signal: AbortSignal.timeout(5000), headers: { connection: "close" } });
      await response.arrayBuffer();
      samples.push({ path, status: response.status, ms: performance.now() - begin });
      roundOk &&= response.ok;
    } catch (error) {
      samples.push({ path, status: 0, ms: performance.now() - begin, error: String(error.cause ?? error) });
      roundOk = false;
    }
  }
  if (plan.untilOk && roundOk) break;
  await new Promise((resolve) => setTimeout(resolve, plan.intervalMs));
} while (Date.now() - started < plan.durationMs);
process.stdout.write(JSON.stringify(samples));
`;

export function isSuccess(sample: ProbeSample): boolean {
  return sample.status >= 200 && sample.status < 400;
}

/** How many of the probe's requests to the health path failed. */
export function countHealthFailures(
  samples: ProbeSample[],
  healthPath: string,
): number {
  return samples.filter(
    (sample) => sample.path === healthPath && !isSuccess(sample),
  ).length;
}

/** The watch window's verdict inputs: the new version's traffic from the proxy's log, and the probe's health failures. */
export type WatchSummary = TrafficSummary & { healthFailures: number };

export interface WatchThresholds {
  maxErrorRate: number;
  p95Ms: number;
  maxHealthFailures: number;
}

/** Why the watch window failed; empty when the new version holds. */
export function watchBreaches(
  summary: WatchSummary,
  limits: WatchThresholds,
): string[] {
  const breaches: string[] = [];
  if (summary.requests === 0)
    breaches.push("the new version answered no request");
  if (summary.errorRate > limits.maxErrorRate)
    breaches.push(
      `error rate ${percent(summary.errorRate)} (${summary.errors}/${summary.requests}) above ${percent(limits.maxErrorRate)}`,
    );
  if (summary.p95Ms > limits.p95Ms)
    breaches.push(`p95 latency ${summary.p95Ms} ms above ${limits.p95Ms} ms`);
  if (summary.healthFailures >= limits.maxHealthFailures)
    breaches.push(
      `${summary.healthFailures} failed health checks (limit ${limits.maxHealthFailures})`,
    );
  return breaches;
}

/** The failed requests of a batch, one line each, for an error message. */
export function describeFailures(samples: ProbeSample[], limit = 5): string {
  return samples
    .filter((sample) => !isSuccess(sample))
    .slice(0, limit)
    .map(
      (sample) =>
        `${sample.path} → ${sample.status === 0 ? (sample.error ?? "no response") : sample.status}`,
    )
    .join("; ");
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The Docker health state out of `docker inspect`: `none` when the image declares no HEALTHCHECK. */
export type HealthState =
  "starting" | "healthy" | "unhealthy" | "none" | "exited";

export const HEALTH_FORMAT =
  "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}";

export function parseHealthState(inspected: string): HealthState {
  const [status, health] = inspected.trim().split(" ");
  if (status !== "running" && status !== "created") return "exited";
  if (
    health === "starting" ||
    health === "healthy" ||
    health === "unhealthy" ||
    health === "none"
  )
    return health;
  throw new Error(`unexpected docker inspect output: "${inspected.trim()}"`);
}

/** `docker inspect --format '{{json .State.Health}}'` output: why Docker calls the container unhealthy. */
export function describeUnhealthy(healthJson: string): string {
  const health = JSON.parse(healthJson) as {
    FailingStreak?: number;
    Log?: { ExitCode: number; Output: string }[];
  } | null;
  const last = health?.Log?.at(-1);
  if (!health || !last) return "no health check result";
  const output = last.Output.trim();
  return `${health.FailingStreak ?? 0} failed health checks in a row, the last exited ${last.ExitCode}${output ? `: ${output.slice(0, 200)}` : ""}`;
}
