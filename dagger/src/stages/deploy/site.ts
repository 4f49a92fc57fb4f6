import type { Secret } from "@dagger.io/dagger";
import {
  dockerNames,
  otherColor,
  type Color,
  type DeployTarget,
  type DockerNames,
} from "../../core/deploy/environment.js";
import { liveRecord, type DeployRecord } from "../../core/deploy/history.js";
import { parseEnvFile, redactor } from "../../core/deploy/redact.js";
import { trafficSplit } from "../../core/deploy/nginx.js";
import { seconds } from "../../core/duration.js";
import { tail, type Project } from "../workspace.js";
import { DockerHost, type DockerEndpoint } from "./docker.js";
import { HealthChecks } from "./health.js";
import { DeployHistory } from "./history.js";
import { onNetwork, type Instance } from "./instance.js";
import { whileLocked } from "./lock.js";
import { InstanceProxy } from "./proxy.js";
import { watchWindow } from "./watch.js";

/** Where the CLI container finds --app-env; docker reads it there and passes the variables to the daemon. */
const APP_ENV_FILE = "/run/secrets/gantry-app.env";

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

/**
 * One environment instance on a Docker host: the blue and green app containers, the proxy in front, the history
 * volume, the lock. Puts a version live (or back) with its health checks and watch window, and removes it all.
 */
export class Site {
  readonly names: DockerNames;
  private readonly instance: Instance;
  private readonly proxy: InstanceProxy;
  private readonly health: HealthChecks;
  private readonly deployHistory: DeployHistory;

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
    this.instance = {
      docker,
      target,
      names: this.names,
      config: project.config,
    };
    this.proxy = new InstanceProxy(this.instance);
    this.health = new HealthChecks(this.instance);
    this.deployHistory = new DeployHistory(this.instance);
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
    const liveUpstream =
      live && this.proxy.upstream(this.names.app(live.color));
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
      steps.push(await this.health.waitUntilReady(candidate, rollout.image));
      steps.push(await this.health.smokeCheck(candidate, rollout.image));
      // A canary needs a version to share traffic with; a first deploy takes it all.
      const canaryPercent = liveUpstream ? rollout.canaryPercent : 0;
      const candidateUpstream = this.proxy.upstream(candidate);
      switched = true;
      await this.proxy.route(
        canaryPercent && liveUpstream
          ? trafficSplit(liveUpstream, candidateUpstream, canaryPercent)
          : trafficSplit(candidateUpstream),
      );
      steps.push(
        await watchWindow(this.instance, this.proxy, this.health, {
          container: candidate,
          image: rollout.image,
          canaryPercent,
        }),
      );
      if (canaryPercent)
        await this.proxy.route(trafficSplit(candidateUpstream));
      if (live) await this.docker.remove(this.names.app(live.color));
    } catch (error) {
      const reason = this.redact((error as Error).message);
      const undoStarted = Date.now();
      if (stopped && live) {
        await this.docker.attempt(["start", this.names.app(live.color)]);
        if (!switched) await this.proxy.reload();
      }
      if (switched && liveUpstream)
        await this.proxy.route(trafficSplit(liveUpstream));
      else if (switched) await this.docker.remove(this.names.proxy);
      const restoredMs = Date.now() - undoStarted;
      await this.docker.remove(candidate);
      await this.deployHistory.append(
        history,
        rollout,
        color,
        "failed",
        reason,
      );
      throw new RolloutFailure(rollout, reason, live, restoredMs, switched);
    }
    await this.deployHistory.append(history, rollout, color, "live");
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
      await this.proxy.reload();
    }
    const stoppedFor = `app: ${live.version} (${live.color}) stopped for ${seconds(Date.now() - stoppedAt)}`;
    return {
      value,
      steps: [
        stoppedFor,
        await this.health.waitUntilReady(name, live.image),
        await this.health.smokeCheck(name, live.image),
      ],
    };
  }

  /** Runs `body` holding the instance's lock (see lock.ts); `what` names the holder to a run that finds it taken. */
  whileLocked<T>(what: string, body: () => Promise<T>): Promise<T> {
    return whileLocked(this.instance, what, body);
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
  history(): Promise<DeployRecord[]> {
    return this.deployHistory.read();
  }

  /** The URL the environment answers on: its configured URL, else the proxy's published port. */
  async url(): Promise<string> {
    return (
      this.target.settings.url ||
      `http://${await this.proxy.publishedAddress()}`
    );
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
        ...onNetwork(this.instance),
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
        ...onNetwork(this.instance),
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

  /** app.env from the config, then the secret env file, whose values win and never appear in a command line. */
  private appEnvironment(): string[] {
    const plain = Object.entries(this.project.config.app.env).flatMap(
      ([name, value]) => ["--env", `${name}=${value}`],
    );
    return this.appEnv ? [...plain, "--env-file", APP_ENV_FILE] : plain;
  }
}
