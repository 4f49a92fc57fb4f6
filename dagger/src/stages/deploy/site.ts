import type { Secret } from "@dagger.io/dagger";
import {
  dockerNames,
  otherColor,
  type Color,
  type DeployTarget,
  type DockerNames,
} from "../../core/deploy/environment.js";
import {
  appendRecord,
  liveRecord,
  parseHistory,
  type DeployRecord,
} from "../../core/deploy/history.js";
import { parseEnvFile, redactor } from "../../core/deploy/redact.js";
import {
  parseAccessLog,
  summarizeTraffic,
} from "../../core/deploy/accessLog.js";
import {
  PROXY_CONFIG,
  PROXY_PORT,
  renderProxyConfig,
  trafficSplit,
  type Upstream,
} from "../../core/deploy/nginx.js";
import {
  describeFailures,
  describeUnhealthy,
  HEALTH_FORMAT,
  parseHealthState,
  PROBE_SCRIPT,
  countHealthFailures,
  watchBreaches,
  type ProbePlan,
  type ProbeSample,
} from "../../core/deploy/probe.js";
import { tail, type Project } from "../workspace.js";
import { DockerHost, type DockerEndpoint } from "./docker.js";

const HISTORY_FILE = "/history/deploys.json";
/** Where the CLI container finds --app-env; docker reads it there and passes the variables to the daemon. */
const APP_ENV_FILE = "/run/secrets/gantry-app.env";
const POLL_MS = 1000;
const WATCH_INTERVAL_MS = 100;

/** What to put live: a freshly published image (deploy) or one the history remembers (rollback). */
export interface Rollout {
  action: DeployRecord["action"];
  version: string;
  image: string;
  /** The migration command to run first, in the new image; none for a rollback. */
  migrate: string[] | null;
  canaryPercent: number;
}

/** What a rollout does besides putting the version live: a deploy's backup, a rollback's database restore. */
export interface RolloutHooks {
  /** Stop the live version before beforeMigrate, so nothing writes while the database is replaced; a failed rollout starts it again. */
  stopLive?: boolean;
  /** Runs before the migrations (and before the new version starts), given the live record; its lines join the report. */
  beforeMigrate?: (live: DeployRecord | undefined) => Promise<string[]>;
}

/** A rollout that went live. */
export interface RolloutSuccess {
  rollout: Rollout;
  color: Color;
  replaced?: DeployRecord;
  steps: string[];
}

/** A rollout that failed and was undone: `restoredMs` is how long putting the old version back took. */
export class RolloutFailure extends Error {
  constructor(
    readonly rollout: Rollout,
    readonly reason: string,
    readonly restored: DeployRecord | undefined,
    readonly restoredMs: number,
    readonly switched: boolean,
  ) {
    super(reason);
  }
}

/** One environment instance on a Docker host: the blue and green app containers, the proxy in front, the history volume. */
export class Site {
  readonly names: DockerNames;

  /** The Docker host with the app's secret env file mounted: for the calls that create app containers. */
  private readonly appDocker: DockerHost;

  private constructor(
    readonly docker: DockerHost,
    readonly target: DeployTarget,
    private readonly project: Project,
    private readonly appEnv: Secret | undefined,
    /** Takes the --app-env values out of a failure reason before it is stored, sent or shown. */
    private readonly redact: (text: string) => string,
  ) {
    this.names = dockerNames(target.instance);
    this.appDocker = appEnv
      ? docker.withSecretFile(APP_ENV_FILE, appEnv)
      : docker;
  }

  /** Connects to the Docker daemon at `endpoint`; creates nothing yet. `appEnv` is a secret env file for the app and its migrations. */
  static async connect(
    project: Project,
    target: DeployTarget,
    endpoint: DockerEndpoint,
    appEnv?: Secret,
  ): Promise<Site> {
    // Read here, only to recognise the values in output; they never leave this process otherwise.
    const redact = redactor(
      appEnv ? parseEnvFile(await appEnv.plaintext()) : [],
    );
    return new Site(
      DockerHost.connect(endpoint, project.config.images.docker),
      target,
      project,
      appEnv,
      redact,
    );
  }

  /**
   * Puts the rollout `choose` picks from the deploy history live beside the current version, or undoes everything
   * and throws a RolloutFailure. Run it under `whileLocked`: the history it decides on is then the one it appends to.
   */
  async rollOut(
    choose: (history: DeployRecord[]) => Rollout,
    hooks: RolloutHooks = {},
  ): Promise<RolloutSuccess> {
    // Created (labelled, for destroy) before the history is read, which would create the volume unlabelled.
    await this.ensureNetworkAndVolume();
    const history = await this.history();
    const rollout = choose(history);
    const live = await this.runningLive(history);
    const color = live ? otherColor(live.color) : "blue";
    const candidate = this.names.app(color);
    const steps: string[] = [];
    let switched = false;
    // A container of that color can only be the leftover of an interrupted run.
    await this.docker.remove(candidate);
    let stopped = false;
    try {
      if (hooks.stopLive && live) {
        stopped = true;
        await this.docker.run(
          ["stop", "--time", "10", this.names.app(live.color)],
          `stopping ${live.version} (${live.color})`,
        );
      }
      if (hooks.beforeMigrate) steps.push(...(await hooks.beforeMigrate(live)));
      steps.push(await this.migrate(rollout));
      await this.startApp(candidate, rollout);
      steps.push(await this.waitUntilReady(candidate, rollout.image));
      steps.push(await this.smokeCheck(candidate, rollout.image));
      // A canary needs a version to share traffic with; a first deploy takes it all.
      const canary = live ? rollout.canaryPercent : 0;
      switched = true;
      await this.route(
        canary && live
          ? trafficSplit(
              this.upstream(this.names.app(live.color)),
              this.upstream(candidate),
              canary,
            )
          : trafficSplit(this.upstream(candidate)),
      );
      steps.push(await this.watch(candidate, canary, rollout.image));
      if (canary) await this.route(trafficSplit(this.upstream(candidate)));
      if (live) await this.docker.remove(this.names.app(live.color));
    } catch (error) {
      const reason = this.redact((error as Error).message);
      const undoStarted = Date.now();
      if (stopped && live) {
        await this.docker.attempt(["start", this.names.app(live.color)]);
        if (!switched) await this.reloadProxy();
      }
      if (switched && live)
        await this.route(
          trafficSplit(this.upstream(this.names.app(live.color))),
        );
      else if (switched) await this.docker.remove(this.names.proxy);
      const restoredMs = Date.now() - undoStarted;
      await this.docker.remove(candidate);
      await this.record(history, rollout, color, "failed", reason);
      throw new RolloutFailure(rollout, reason, live, restoredMs, switched);
    }
    await this.record(history, rollout, color, "live");
    return { rollout, color, replaced: live, steps };
  }

  /**
   * Runs `body` with the live version stopped (the proxy answers 502 meanwhile), then starts it again, whatever `body`
   * did, and checks its health, readiness and smoke paths; returns `body`'s value and the report's lines.
   */
  async whileLiveStopped<T>(
    body: () => Promise<T>,
  ): Promise<{ value: T; steps: string[] }> {
    const live = await this.runningLive(await this.history());
    if (!live)
      return {
        value: await body(),
        steps: ["app: no version live on the target, nothing stopped"],
      };
    const name = this.names.app(live.color);
    await this.docker.run(["stop", "--time", "10", name], `stopping ${name}`);
    const stoppedAt = Date.now();
    let value: T;
    try {
      value = await body();
    } finally {
      await this.docker.run(["start", name], `starting ${name} again`);
      await this.reloadProxy();
    }
    const stoppedFor = `app: ${live.version} (${live.color}) stopped for ${seconds(Date.now() - stoppedAt)}`;
    return {
      value,
      steps: [
        stoppedFor,
        await this.waitUntilReady(name, live.image),
        await this.smokeCheck(name, live.image),
      ],
    };
  }

  /**
   * Runs `body` holding the instance's lock: a container name the daemon gives to one creator only, so two runs
   * against the same instance (two people, two workflows) cannot start the same color or rewrite the proxy at once.
   */
  async whileLocked<T>(what: string, body: () => Promise<T>): Promise<T> {
    const { lock, label } = this.names;
    const taken = await this.docker.attempt([
      "create",
      "--name",
      lock,
      "--label",
      label,
      "--label",
      `gantry.lock.holder=${what}, since ${new Date().toISOString()}`,
      this.project.config.images.proxy,
      "true",
    ]);
    if (taken.exitCode !== 0) {
      const holder = await this.docker.attempt([
        "inspect",
        "--format",
        '{{index .Config.Labels "gantry.lock.holder"}}',
        lock,
      ]);
      if (holder.exitCode !== 0)
        throw new Error(`could not take the lock ${lock} (${tail(taken)})`);
      throw new Error(
        `${this.target.instance} is busy: ${holder.stdout.trim()} holds ${lock}; nothing was changed. ` +
          `If that run is gone (killed mid-way), check the instance and remove the lock with: docker rm ${lock}`,
      );
    }
    try {
      return await body();
    } finally {
      await this.docker.attempt(["rm", "--force", lock]);
    }
  }

  /** Fails, naming the config field, when a network of `networks` is missing on the target; changes nothing. */
  async assertNetworksExist(): Promise<void> {
    const { networks } = this.target.settings;
    if (networks.length === 0) return;
    const found = await this.docker.attempt([
      "network",
      "inspect",
      "--format",
      "{{.Name}}",
      ...networks,
    ]);
    if (found.exitCode !== 0)
      throw new Error(
        `environments.${this.target.environment}.networks: not every network exists on the target (${tail(found)}); nothing was changed`,
      );
  }

  /** The deploy history kept on the target, oldest first. */
  async history(): Promise<DeployRecord[]> {
    const text = await this.docker.run(
      [...this.inVolume(), "-c", `cat ${HISTORY_FILE} 2>/dev/null || true`],
      "reading the deploy history",
    );
    return parseHistory(text);
  }

  /** The URL the environment answers on: its configured URL, else the proxy's published port. */
  async url(): Promise<string> {
    if (this.target.settings.url) return this.target.settings.url;
    const published = await this.docker.run(
      ["port", this.names.proxy, `${PROXY_PORT}/tcp`],
      "reading the proxy's port",
    );
    return `http://${published.split("\n")[0]}`;
  }

  /** Removes every container, the network and the history volume of this instance; returns what was removed. */
  async destroy(): Promise<string[]> {
    const containers = (
      await this.docker.run(
        [
          "ps",
          "--all",
          "--filter",
          `label=${this.names.label}`,
          "--format",
          "{{.Names}}",
        ],
        "listing the containers",
      )
    )
      .split("\n")
      // The lock is this run's own; whileLocked removes it last.
      .filter((name) => name !== "" && name !== this.names.lock);
    await this.docker.remove(...containers);
    const removed = [...containers];
    if (
      (await this.docker.attempt(["network", "rm", this.names.network]))
        .exitCode === 0
    )
      removed.push(`network ${this.names.network}`);
    if (
      (await this.docker.attempt(["volume", "rm", this.names.historyVolume]))
        .exitCode === 0
    )
      removed.push(`volume ${this.names.historyVolume}`);
    return removed;
  }

  private async ensureNetworkAndVolume(): Promise<void> {
    const { network, historyVolume, label } = this.names;
    await this.docker.script(
      [
        'docker network inspect "$1" >/dev/null 2>&1 || docker network create --label "$3" "$1" >/dev/null',
        'docker volume create --label "$3" "$2" >/dev/null',
      ].join(" && "),
      [network, historyVolume, label],
      `creating network ${network} and volume ${historyVolume}`,
    );
  }

  /** The live record, unless its container is gone (removed by hand): then this is a first deploy again. */
  private async runningLive(
    history: DeployRecord[],
  ): Promise<DeployRecord | undefined> {
    const live = liveRecord(history);
    return live && (await this.docker.isRunning(this.names.app(live.color)))
      ? live
      : undefined;
  }

  private async migrate(rollout: Rollout): Promise<string> {
    if (rollout.action === "rollback")
      return "migrations: not run (a rollback never migrates: the schema stays as the newer version left it)";
    if (!rollout.migrate) return "migrations: none (app.migrate not set)";
    const started = Date.now();
    await this.appDocker.start(
      [
        ...this.onNetwork(),
        ...this.appEnvironment(),
        rollout.image,
        ...rollout.migrate,
      ],
      { networks: this.target.settings.networks, attach: true },
      `migrations (${rollout.migrate.join(" ")})`,
    );
    return `migrations: ${rollout.migrate.join(" ")} in ${seconds(Date.now() - started)}`;
  }

  private async startApp(name: string, rollout: Rollout): Promise<void> {
    await this.appDocker.start(
      [
        "--name",
        name,
        ...this.onNetwork(),
        "--label",
        `gantry.version=${rollout.version}`,
        "--restart",
        "unless-stopped",
        ...this.appEnvironment(),
        rollout.image,
      ],
      { networks: this.target.settings.networks, attach: false },
      `starting ${name}`,
    );
  }

  /** Waits for the image's HEALTHCHECK (when it has one), then for the ready endpoint. */
  private async waitUntilReady(name: string, image: string): Promise<string> {
    const { healthTimeoutSeconds, readyPath } = this.target.settings;
    const started = Date.now();
    const deadline = started + healthTimeoutSeconds * 1000;
    for (;;) {
      const state = parseHealthState(
        await this.docker.run(
          ["inspect", "--format", HEALTH_FORMAT, name],
          `inspecting ${name}`,
        ),
      );
      if (state === "healthy" || state === "none") break;
      if (state === "unhealthy")
        throw new Error(
          `${name} is unhealthy: ${await this.unhealthyReason(name)}`,
        );
      if (state === "exited")
        throw new Error(`${name} exited: ${await this.lastLogLines(name)}`);
      if (Date.now() > deadline)
        throw new Error(
          `${name} was not healthy within ${healthTimeoutSeconds} s (environments.${this.target.environment}.healthTimeoutSeconds)`,
        );
      await sleep(POLL_MS);
    }
    const samples = await this.probe(image, {
      baseUrl: this.appUrl(name),
      paths: [readyPath],
      durationMs: Math.max(0, deadline - Date.now()),
      intervalMs: POLL_MS,
      untilOk: true,
    });
    if (!samples.some((sample) => sample.status >= 200 && sample.status < 300))
      throw new Error(`ready check failed: ${describeFailures(samples)}`);
    return `health: healthy and ready in ${seconds(Date.now() - started)}`;
  }

  private async smokeCheck(name: string, image: string): Promise<string> {
    const { smokePaths } = this.target.settings;
    const samples = await this.probe(image, {
      baseUrl: this.appUrl(name),
      paths: smokePaths,
      durationMs: 0,
      intervalMs: 0,
      untilOk: false,
    });
    const failures = describeFailures(samples);
    if (failures) throw new Error(`smoke checks failed: ${failures}`);
    return `smoke: ${samples.map((s) => `${s.path} ${s.status}`).join(", ")}`;
  }

  /**
   * Judges the new version over the watch window by what the proxy logged for every request it answered, users' and
   * the probe's (which keeps requesting the health and smoke paths through the proxy, so a quiet site is judged too).
   */
  private async watch(
    candidate: string,
    canaryPercent: number,
    image: string,
  ): Promise<string> {
    const { watchSeconds, healthPath, smokePaths, rollback } =
      this.target.settings;
    // The daemon's clock, not ours: `docker logs --since` compares with the target's timestamps.
    const [since, upstream] = await Promise.all([
      this.docker.run(
        ["info", "--format", "{{json .SystemTime}}"],
        "reading the target's clock",
      ),
      this.upstreamAddress(candidate),
    ]);
    const samples = await this.probe(image, {
      baseUrl: `http://${this.names.proxy}:${PROXY_PORT}`,
      paths: [healthPath, ...smokePaths],
      durationMs: watchSeconds * 1000,
      intervalMs: WATCH_INTERVAL_MS,
      untilOk: false,
    });
    const accessLog = await this.docker.run(
      ["logs", "--since", JSON.parse(since) as string, this.names.proxy],
      "reading the proxy's access log",
    );
    const traffic = summarizeTraffic(parseAccessLog(accessLog), upstream);
    const healthFailures = countHealthFailures(samples, healthPath);
    const split = canaryPercent ? ` with ${canaryPercent}% canary` : "";
    const breaches = watchBreaches({ ...traffic, healthFailures }, rollback);
    if (breaches.length)
      throw new Error(
        `watch window${split}: ${breaches.join("; ")} (environments.${this.target.environment}.rollback)`,
      );
    return `watch${split}: the new version answered ${traffic.requests} requests over ${watchSeconds} s (proxy access log), ${traffic.errors} errors, p95 ${traffic.p95Ms} ms; ${healthFailures} failed health checks`;
  }

  /** The address (ip:port) the proxy reaches `name` at on the instance's network, as its access log names it. */
  private async upstreamAddress(name: string): Promise<string> {
    const ip = await this.docker.run(
      [
        "inspect",
        "--format",
        `{{(index .NetworkSettings.Networks "${this.names.network}").IPAddress}}`,
        name,
      ],
      `reading the address of ${name}`,
    );
    return `${ip}:${this.project.config.app.port}`;
  }

  /** Points the proxy at `upstreams` (reload: open connections finish on the old workers), starting the proxy the first time. */
  private async route(upstreams: Upstream[]): Promise<void> {
    const config = renderProxyConfig(upstreams);
    if (await this.docker.isRunning(this.names.proxy)) {
      await this.docker.run(
        [
          "exec",
          "--interactive",
          this.names.proxy,
          "sh",
          "-c",
          `cat > ${PROXY_CONFIG}.next && nginx -t -q -c ${PROXY_CONFIG}.next && mv ${PROXY_CONFIG}.next ${PROXY_CONFIG} && nginx -c ${PROXY_CONFIG} -s reload`,
        ],
        "switching the proxy",
        config,
      );
      return;
    }
    await this.docker.remove(this.names.proxy);
    const { port } = this.target;
    await this.docker.run(
      [
        "run",
        "--detach",
        "--name",
        this.names.proxy,
        ...this.onNetwork(),
        "--restart",
        "unless-stopped",
        "--publish",
        `127.0.0.1:${port || ""}:${PROXY_PORT}`,
        "--env",
        `GANTRY_NGINX_CONFIG=${config}`,
        "--entrypoint",
        "sh",
        this.project.config.images.proxy,
        "-c",
        // The boot config is written once: after a restart the proxy keeps routing where the last switch pointed it.
        `[ -f ${PROXY_CONFIG} ] || printf '%s' "$GANTRY_NGINX_CONFIG" > ${PROXY_CONFIG}; exec nginx -c ${PROXY_CONFIG} -g 'daemon off;'`,
      ],
      "starting the proxy",
    );
  }

  /** A restarted container can get another address: nginx resolves its upstreams' names again on reload. */
  private async reloadProxy(): Promise<void> {
    await this.docker.run(
      ["exec", this.names.proxy, "nginx", "-c", PROXY_CONFIG, "-s", "reload"],
      "reloading the proxy",
    );
  }

  /** Runs the probe in `image` (the app's own: a Node image) on the instance's network. */
  private async probe(image: string, plan: ProbePlan): Promise<ProbeSample[]> {
    const output = await this.docker.run(
      [
        "run",
        "--rm",
        ...this.onNetwork(),
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

  private async record(
    history: DeployRecord[],
    rollout: Rollout,
    color: Color,
    outcome: DeployRecord["outcome"],
    reason?: string,
  ): Promise<void> {
    const rolledBackFrom =
      rollout.action === "rollback" ? liveRecord(history)?.image : undefined;
    const record: DeployRecord = {
      action: rollout.action,
      version: rollout.version,
      image: rollout.image,
      color,
      time: new Date().toISOString(),
      outcome,
      ...(reason ? { reason } : {}),
      ...(rolledBackFrom ? { rolledBackFrom } : {}),
    };
    await this.docker.run(
      [...this.inVolume("--interactive"), "-c", `cat > ${HISTORY_FILE}`],
      "writing the deploy history",
      JSON.stringify(appendRecord(history, record), null, 2),
    );
  }

  private async unhealthyReason(name: string): Promise<string> {
    return describeUnhealthy(
      await this.docker.run(
        ["inspect", "--format", "{{json .State.Health}}", name],
        `inspecting ${name}`,
      ),
    );
  }

  private async lastLogLines(name: string): Promise<string> {
    const logs = await this.docker.attempt(["logs", "--tail", "5", name]);
    return `${logs.stdout}\n${logs.stderr}`.trim() || "(no output)";
  }

  /** A one-off shell with the history volume mounted, in the proxy image (a small Debian the target pulls anyway). */
  private inVolume(...flags: string[]): string[] {
    return [
      "run",
      "--rm",
      ...flags,
      "--volume",
      `${this.names.historyVolume}:/history`,
      "--entrypoint",
      "sh",
      this.project.config.images.proxy,
    ];
  }

  private onNetwork(): string[] {
    return ["--network", this.names.network, "--label", this.names.label];
  }

  /** app.env from the config, then the secret env file, whose values win and never appear in a command line. */
  private appEnvironment(): string[] {
    const plain = Object.entries(this.project.config.app.env).flatMap(
      ([name, value]) => ["--env", `${name}=${value}`],
    );
    return this.appEnv ? [...plain, "--env-file", APP_ENV_FILE] : plain;
  }

  private upstream(host: string): Omit<Upstream, "weight"> {
    return { host, port: this.project.config.app.port };
  }

  private appUrl(name: string): string {
    return `http://${name}:${this.project.config.app.port}`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
