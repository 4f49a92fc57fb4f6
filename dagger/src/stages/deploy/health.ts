import { seconds } from "../../core/duration.js";
import {
  describeFailures,
  describeUnhealthy,
  HEALTH_FORMAT,
  parseHealthState,
  PROBE_SCRIPT,
  type ProbePlan,
  type ProbeSample,
} from "../../core/deploy/probe.js";
import { appUrl, onNetwork, type Instance } from "./instance.js";

const POLL_MS = 1000;

/** The checks an app container must pass before it gets traffic: its HEALTHCHECK, the ready endpoint, the smoke paths. */
export class HealthChecks {
  constructor(private readonly instance: Instance) {}

  /** Waits for the image's HEALTHCHECK (when it has one), then for the ready endpoint. */
  async waitUntilReady(container: string, image: string): Promise<string> {
    const { docker, target } = this.instance;
    const { healthTimeoutSeconds, readyPath } = target.settings;
    const started = Date.now();
    const deadline = started + healthTimeoutSeconds * 1000;
    for (;;) {
      const state = parseHealthState(
        await docker.run(
          ["inspect", "--format", HEALTH_FORMAT, container],
          `inspecting ${container}`,
        ),
      );
      if (state === "healthy" || state === "none") break;
      if (state === "unhealthy")
        throw new Error(
          `${container} is unhealthy: ${await this.unhealthyReason(container)}`,
        );
      if (state === "exited")
        throw new Error(
          `${container} exited: ${await this.lastLogLines(container)}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `${container} was not healthy within ${healthTimeoutSeconds} s (environments.${target.environment}.healthTimeoutSeconds)`,
        );
      await sleep(POLL_MS);
    }
    const samples = await this.probe(image, {
      baseUrl: appUrl(this.instance, container),
      paths: [readyPath],
      durationMs: Math.max(0, deadline - Date.now()),
      intervalMs: POLL_MS,
      untilOk: true,
    });
    if (!samples.some((sample) => sample.status >= 200 && sample.status < 300))
      throw new Error(`ready check failed: ${describeFailures(samples)}`);
    return `health: healthy and ready in ${seconds(Date.now() - started)}`;
  }

  /** Requests each smoke path once; fails naming the paths that did not answer 2xx. */
  async smokeCheck(container: string, image: string): Promise<string> {
    const samples = await this.probe(image, {
      baseUrl: appUrl(this.instance, container),
      paths: this.instance.target.settings.smokePaths,
      durationMs: 0,
      intervalMs: 0,
      untilOk: false,
    });
    const failures = describeFailures(samples);
    if (failures) throw new Error(`smoke checks failed: ${failures}`);
    return `smoke: ${samples.map((s) => `${s.path} ${s.status}`).join(", ")}`;
  }

  /** Runs the probe in `image` (the app's own: a Node image) on the instance's network. */
  async probe(image: string, plan: ProbePlan): Promise<ProbeSample[]> {
    const output = await this.instance.docker.run(
      [
        "run",
        "--rm",
        ...onNetwork(this.instance),
        "--env",
        `GANTRY_PROBE=${JSON.stringify(plan)}`,
        "--entrypoint",
        "node",
        image,
        "--input-type=module",
        "--eval",
        PROBE_SCRIPT,
      ],
      `probing ${plan.baseUrl}`,
    );
    return JSON.parse(output) as ProbeSample[];
  }

  private async unhealthyReason(container: string): Promise<string> {
    return describeUnhealthy(
      await this.instance.docker.run(
        ["inspect", "--format", "{{json .State.Health}}", container],
        `inspecting ${container}`,
      ),
    );
  }

  private async lastLogLines(container: string): Promise<string> {
    const logs = await this.instance.docker.attempt([
      "logs",
      "--tail",
      "5",
      container,
    ]);
    return `${logs.stdout}\n${logs.stderr}`.trim() || "(no output)";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
