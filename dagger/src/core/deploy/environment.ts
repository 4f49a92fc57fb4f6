import { z } from "zod";
import { environmentSchema, type GantryConfig } from "../config.js";

export type EnvironmentSettings = z.output<typeof environmentSchema>;

/** Settings of the environments every project has, before gantry.config.json overrides them. */
const BUILT_IN_ENVIRONMENTS: Record<
  string,
  z.input<typeof environmentSchema>
> = {
  development: { port: 8080 },
  staging: {},
  production: { requireConfirm: true },
  // Many previews share one host, so each gets a free port from Docker.
  preview: { port: 0 },
};

const PREVIEW = "preview";
const PREVIEW_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
// Single dashes only, so the "--" between preview and an instance name can never be part of an environment's name.
const ENVIRONMENT_NAME = /^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$/;
const ENVIRONMENT_NAME_RULE =
  "1-31 lowercase letters, digits and single dashes, starting with a letter (e.g. staging)";
const INSTANCE_SEPARATOR = "--";
// Characters of a Docker tag (semver's "+" is not one), short enough for deploy-<instance>_<version> to fit in 128.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Everything a deploy to one environment (one preview instance) needs, resolved before anything on the target changes. */
export interface DeployTarget {
  environment: string;
  /** `staging`, or `preview--pr-123` for a preview: names the containers, network, history volume and image tags. */
  instance: string;
  /** The port the proxy publishes on 127.0.0.1; 0 lets Docker pick one. */
  port: number;
  requireConfirm: boolean;
  settings: EnvironmentSettings;
}

/** What is about to happen to the target, and whether --confirm was given for it. */
export interface Confirmation {
  action: string;
  confirm: boolean;
}

/**
 * Resolves --env and --name against the config; throws naming the flag or field at fault. With `confirmation`, an
 * environment that asks for --confirm is refused first, before any setting of it is checked.
 */
export function resolveTarget(
  config: GantryConfig,
  environment: string,
  name?: string,
  confirmation?: Confirmation,
): DeployTarget {
  if (!isEnvironmentName(environment))
    throw new Error(
      `--env must be an environment name: ${ENVIRONMENT_NAME_RULE}, got "${environment}"`,
    );
  const misnamed = Object.keys(config.environments).find(
    (key) => !isEnvironmentName(key),
  );
  if (misnamed !== undefined)
    throw new Error(
      `environments."${misnamed}" in gantry.config.json is not an environment name: expected ${ENVIRONMENT_NAME_RULE}`,
    );
  const configured = config.environments[environment];
  const builtIn = BUILT_IN_ENVIRONMENTS[environment];
  if (!configured && !builtIn) {
    const known = [
      ...new Set([
        ...Object.keys(BUILT_IN_ENVIRONMENTS),
        ...Object.keys(config.environments),
      ]),
    ];
    throw new Error(
      `--env "${environment}" is not an environment: expected one of ${known.join(", ")} (add others under "environments" in gantry.config.json)`,
    );
  }
  const settings = configured ?? environmentSchema.parse(builtIn);
  const requireConfirm =
    settings.requireConfirm ?? builtIn?.requireConfirm ?? false;
  if (confirmation && requireConfirm && !confirmation.confirm)
    throw new Error(
      `${confirmation.action} of ${environment} requires --confirm (environments.${environment}.requireConfirm); nothing was changed`,
    );
  const port = settings.port ?? builtIn?.port;
  if (port === undefined) {
    throw new Error(
      `environments.${environment}.port is not set in gantry.config.json: the port the proxy publishes on 127.0.0.1 (0 lets Docker pick one)`,
    );
  }
  return {
    environment,
    instance: instanceName(environment, name),
    port,
    requireConfirm,
    settings,
  };
}

function isEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME.test(name) && !name.includes("--");
}

function instanceName(environment: string, name: string | undefined): string {
  if (environment !== PREVIEW) {
    if (name !== undefined)
      throw new Error(
        `--name is only for --env ${PREVIEW}; "${environment}" has a single instance`,
      );
    return environment;
  }
  if (name === undefined)
    throw new Error(
      `--name is required with --env ${PREVIEW} (e.g. --name pr-123)`,
    );
  if (!PREVIEW_NAME.test(name))
    throw new Error(
      `--name must be 1-40 lowercase letters, digits or dashes (e.g. pr-123), got "${name}"`,
    );
  return `${PREVIEW}${INSTANCE_SEPARATOR}${name}`;
}

/**
 * The tag a deploy publishes its image under, validating --version: `deploy-<instance>_<version>`, which no release
 * tag (X.Y.Z, X.Y, X, latest) can equal, and which one instance's deploys cannot take from another's (no instance
 * name holds a `_`).
 */
export function deployImageTag(instance: string, version: string): string {
  if (!VERSION.test(version))
    throw new Error(
      `--version must be 1-64 letters, digits, dots, dashes or underscores starting with a letter or digit (e.g. 1.4.0 or a commit SHA), got "${version}"`,
    );
  return `deploy-${instance}_${version}`;
}

/** Validates --canary-percent: 0 (off) or a share of traffic the new version gets during the watch window. */
export function parseCanaryPercent(percent: number): number {
  if (Number.isInteger(percent) && percent >= 0 && percent < 100)
    return percent;
  throw new Error(
    `--canary-percent must be a whole number from 1 to 99 (0 switches all traffic at once), got ${percent}`,
  );
}

/** Names of everything a deploy creates on the Docker host for one instance. */
export interface DockerNames {
  network: string;
  proxy: string;
  historyVolume: string;
  app(color: Color): string;
  /** A created, never started container whose name only one run at a time can hold. */
  lock: string;
  /** Label that marks everything of this instance, for destroy. */
  label: string;
}

export type Color = "blue" | "green";

export function otherColor(color: Color): Color {
  return color === "blue" ? "green" : "blue";
}

export function dockerNames(instance: string): DockerNames {
  const prefix = `gantry-${instance}`;
  return {
    network: prefix,
    proxy: `${prefix}-proxy`,
    historyVolume: `${prefix}-history`,
    app: (color) => `${prefix}-${color}`,
    lock: `${prefix}-lock`,
    label: `gantry.instance=${instance}`,
  };
}
