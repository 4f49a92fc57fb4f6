import {
  parseAccessLog,
  summarizeTraffic,
} from "../../core/deploy/accessLog.js";
import { countHealthFailures, watchBreaches } from "../../core/deploy/probe.js";
import type { HealthChecks } from "./health.js";
import type { Instance } from "./instance.js";
import type { InstanceProxy } from "./proxy.js";

const WATCH_INTERVAL_MS = 100;

/**
 * Judges the new version over the watch window by what the proxy logged for every request it answered, users' and
 * the probe's (which keeps requesting the health and smoke paths through the proxy, so a quiet site is judged too);
 * throws naming the breached limits of environments.<env>.rollback.
 */
export async function watchWindow(
  { docker, target }: Instance,
  proxy: InstanceProxy,
  health: HealthChecks,
  candidate: { container: string; image: string; canaryPercent: number },
): Promise<string> {
  const { watchSeconds, healthPath, smokePaths, rollback } = target.settings;
  // The daemon's clock, not ours: `docker logs --since` compares with the target's timestamps.
  const [since, upstream] = await Promise.all([
    docker.run(
      ["info", "--format", "{{json .SystemTime}}"],
      "reading the target's clock",
    ),
    proxy.upstreamAddress(candidate.container),
  ]);
  const samples = await health.probe(candidate.image, {
    baseUrl: proxy.internalUrl,
    paths: [healthPath, ...smokePaths],
    durationMs: watchSeconds * 1000,
    intervalMs: WATCH_INTERVAL_MS,
    untilOk: false,
  });
  const accessLog = await docker.run(
    ["logs", "--since", JSON.parse(since) as string, proxy.name],
    "reading the proxy's access log",
  );
  const traffic = summarizeTraffic(parseAccessLog(accessLog), upstream);
  const healthFailures = countHealthFailures(samples, healthPath);
  const split = candidate.canaryPercent
    ? ` with ${candidate.canaryPercent}% canary`
    : "";
  const breaches = watchBreaches({ ...traffic, healthFailures }, rollback);
  if (breaches.length)
    throw new Error(
      `watch window${split}: ${breaches.join("; ")} (environments.${target.environment}.rollback)`,
    );
  return `watch${split}: the new version answered ${traffic.requests} requests over ${watchSeconds} s (proxy access log), ${traffic.errors} errors, p95 ${traffic.p95Ms} ms; ${healthFailures} failed health checks`;
}
