import { dag, type Container, type Service } from "@dagger.io/dagger";
import { posix } from "node:path";
import type { GantryConfig } from "../../core/config.js";
import {
  artilleryOverrides,
  k6Scenario,
  runnerDeadlineSeconds,
  type LoadSchedule,
} from "../../core/load/profiles.js";
import type { LoadResult } from "../../core/load/result.js";
import { parseArtilleryReport } from "../../core/parse/artillery.js";
import {
  failedK6Thresholds,
  K6_THRESHOLDS_CROSSED,
  K6_TREND_STATS,
  parseK6Summary,
} from "../../core/parse/k6.js";
import {
  capture,
  readIfPresent,
  tail,
  uncached,
  type Project,
} from "../workspace.js";

/** The service under load, bound into the runner's container under `host`. */
export interface LoadTarget {
  service: Service;
  host: string;
  port: number;
}

/** One run's outcome: the measured result, or why the runner produced none. */
export type RunOutcome =
  | { result: LoadResult; scriptThresholdsFailed: string[] }
  | { failure: string };

const SCRIPTS = "/scripts";
const REPORT = "/tmp/gantry-load-report.json";

interface Runner {
  image: (config: GantryConfig) => string;
  defaultScript: string;
  resultCodes: number[];
  env: Record<string, string>;
  args: (run: {
    url: string;
    script: string;
    schedule: LoadSchedule;
    profile: string;
  }) => string[];
  parse: (report: string) => RunOutcome;
}

// Both runners get the same schedule and the same target; only the command line and the report format differ.
const RUNNERS: Record<GantryConfig["loadTest"]["tool"], Runner> = {
  k6: {
    image: (config) => config.images.k6,
    defaultScript: "k6/load.js",
    resultCodes: [0, K6_THRESHOLDS_CROSSED],
    env: {},
    args: ({ url, script, schedule, profile }) => [
      "k6",
      "run",
      "--quiet",
      "--summary-export",
      REPORT,
      "--summary-trend-stats",
      K6_TREND_STATS.join(","),
      "--env",
      `BASE_URL=${url}`,
      "--env",
      `PROFILE=${profile}`,
      "--env",
      `GANTRY_SCENARIO=${JSON.stringify(k6Scenario(schedule))}`,
      "--env",
      `REQUEST_TIMEOUT=${schedule.requestTimeoutSeconds}s`,
      script,
    ],
    parse: (report) => ({
      result: parseK6Summary(report),
      scriptThresholdsFailed: failedK6Thresholds(report),
    }),
  },
  artillery: {
    image: (config) => config.images.artillery,
    defaultScript: "artillery/load.yml",
    // 1: the script's own ensure checks failed; the report is still written and is what Gantry judges.
    resultCodes: [0, 1],
    // Artillery reports usage to its developers unless told not to; load tests talk to the service only.
    env: { ARTILLERY_DISABLE_TELEMETRY: "true" },
    args: ({ url, script, schedule }) => [
      "artillery",
      "run",
      "--output",
      REPORT,
      "--target",
      url,
      "--overrides",
      JSON.stringify(artilleryOverrides(schedule)),
      script,
    ],
    parse: (report) => ({
      result: parseArtilleryReport(report),
      scriptThresholdsFailed: [],
    }),
  },
};

/** The configured runner's load script, relative to the repository root. */
export function loadScriptOf(config: GantryConfig): string {
  return config.loadTest.script ?? RUNNERS[config.loadTest.tool].defaultScript;
}

/**
 * The configured runner's image with the repository's load scripts, pulled and unpacked: a session's first use of a
 * runner image (a large node_modules tree) takes seconds, which can overlap the image build and the service start.
 */
export function loadRunner(project: Project): Promise<Container> {
  const { config, source } = project;
  return dag
    .container()
    .from(RUNNERS[config.loadTest.tool].image(config))
    .withMountedDirectory(
      SCRIPTS,
      source.directory(posix.dirname(loadScriptOf(config))),
    )
    .sync();
}

/** Drives `target` with `runner` (from loadRunner) on `schedule`, bounded in time, and reads its report. */
export async function runLoad(
  project: Project,
  runnerContainer: Container,
  target: LoadTarget,
  schedule: LoadSchedule,
  profile: string,
): Promise<RunOutcome> {
  const { config } = project;
  const tool = config.loadTest.tool;
  const runner = RUNNERS[tool];
  const script = loadScriptOf(config);
  const deadline = runnerDeadlineSeconds(schedule);
  const container = uncached(
    runnerContainer.withServiceBinding(target.host, target.service),
  );
  const ran = await capture(
    container,
    [
      "timeout",
      String(deadline),
      ...runner.args({
        url: `http://${target.host}:${target.port}`,
        script: `${SCRIPTS}/${posix.basename(script)}`,
        schedule,
        profile,
      }),
    ],
    runner.resultCodes,
    runner.env,
  );
  const report = await readIfPresent(ran.container, REPORT);
  if (report === undefined)
    return {
      failure:
        ran.exitCode === 124
          ? `${tool} did not finish within ${deadline} s and was stopped`
          : `${tool} wrote no report (${tail(ran)})`,
    };
  return runner.parse(report);
}
