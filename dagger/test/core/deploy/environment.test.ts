import { describe, expect, it } from "vitest";
import { parseConfig, type GantryConfig } from "../../../src/core/config.js";
import {
  deployImageTag,
  dockerNames,
  otherColor,
  parseCanaryPercent,
  resolveTarget,
} from "../../../src/core/deploy/environment.js";

// Built inside each test, not while the file is collected: a mutant that makes this throw then fails tests
// (Stryker counts a file that fails to collect as no test; see test/MUTATION.md).
const defaults = () => parseConfig({});

describe("resolveTarget", () => {
  it("gives the built-in environments their defaults, production asking for --confirm", () => {
    const development = resolveTarget(defaults(), "development");
    expect(development).toMatchObject({
      instance: "development",
      port: 8080,
      requireConfirm: false,
    });
    expect(development.settings.watchSeconds).toBe(60);
    expect(development.settings.networks).toEqual([]);
    const production = parseConfig({
      configJson: '{"environments": {"production": {"port": 443}}}',
    });
    expect(resolveTarget(production, "production")).toMatchObject({
      port: 443,
      requireConfirm: true,
    });
  });

  it("names the config field an environment is missing", () => {
    expect(() => resolveTarget(defaults(), "staging")).toThrow(
      "environments.staging.port is not set in gantry.config.json",
    );
  });

  it("accepts configured environments and lists the known ones otherwise", () => {
    const config = parseConfig({
      configJson:
        '{"environments": {"qa": {"port": 9000, "requireConfirm": true, "rollback": {"maxErrorRate": 0.1}}}}',
    });
    const qa = resolveTarget(config, "qa");
    expect(qa).toMatchObject({ port: 9000, requireConfirm: true });
    expect(qa.settings.rollback).toEqual({
      p95Ms: 500,
      maxErrorRate: 0.1,
      maxHealthFailures: 3,
    });
    expect(() => resolveTarget(config, "prod")).toThrow(
      '--env "prod" is not an environment: expected one of development, staging, production, preview, qa',
    );
  });

  it("gives an environment Gantry does not know no --confirm and names its missing port", () => {
    const withoutConfirm = parseConfig({
      configJson: '{"environments": {"qa": {"port": 9000}, "demo": {}}}',
    });
    expect(resolveTarget(withoutConfirm, "qa")).toMatchObject({
      port: 9000,
      requireConfirm: false,
    });
    expect(() => resolveTarget(withoutConfirm, "demo")).toThrow(
      "environments.demo.port is not set in gantry.config.json: the port the proxy publishes on 127.0.0.1 (0 lets Docker pick one)",
    );
  });

  it("requires a valid --name for previews, and only for previews", () => {
    expect(resolveTarget(defaults(), "preview", "pr-123")).toMatchObject({
      instance: "preview--pr-123",
      port: 0,
    });
    expect(() => resolveTarget(defaults(), "preview")).toThrow(
      "--name is required with --env preview",
    );
    expect(() => resolveTarget(defaults(), "preview", "PR 1")).toThrow(
      "--name must be 1-40 lowercase letters",
    );
    expect(() => resolveTarget(defaults(), "development", "pr-1")).toThrow(
      "--name is only for --env preview",
    );
  });
});

describe("instance names", () => {
  const config = () =>
    parseConfig({
      configJson:
        '{"environments": {"preview-demo": {"port": 9000, "requireConfirm": true}}}',
    });

  it("never gives a preview the instance of a configured environment", () => {
    const protectedOne = resolveTarget(config(), "preview-demo", undefined, {
      action: "destroying",
      confirm: true,
    });
    const preview = resolveTarget(config(), "preview", "demo", {
      action: "destroying",
      confirm: false,
    });
    expect(protectedOne.instance).toBe("preview-demo");
    expect(preview.instance).toBe("preview--demo");
    expect(dockerNames(preview.instance).lock).not.toBe(
      dockerNames(protectedOne.instance).lock,
    );
  });

  it("refuses --env values that are not environment names, the preview separator first", () => {
    for (const bad of [
      "preview--demo",
      "Staging",
      "qa_1",
      "-qa",
      "qa-",
      "",
      "a".repeat(32),
    ])
      expect(() => resolveTarget(config(), bad)).toThrow(
        `--env must be an environment name: 1-31 lowercase letters, digits and single dashes, starting with a letter (e.g. staging), got "${bad}"`,
      );
    expect(() => resolveTarget(config(), "a".repeat(31))).toThrow(
      "is not an environment",
    );
  });

  it("refuses a config whose environment names could take a preview's instance", () => {
    const misnamed = parseConfig({
      configJson:
        '{"environments": {"staging": {"port": 9000}, "preview--demo": {"port": 9001}}}',
    });
    expect(() => resolveTarget(misnamed, "staging")).toThrow(
      'environments."preview--demo" in gantry.config.json is not an environment name: expected 1-31 lowercase letters, digits and single dashes, starting with a letter (e.g. staging)',
    );
  });
});

describe("deployImageTag", () => {
  it("tags deploys apart from every release tag and from other instances", () => {
    expect(deployImageTag("staging", "1.4.0")).toBe("deploy-staging_1.4.0");
    expect(deployImageTag("preview--pr-1", "abc123")).toBe(
      "deploy-preview--pr-1_abc123",
    );
    for (const version of ["latest", "1.4.0", "1.4", "1"])
      expect(deployImageTag("staging", version)).not.toMatch(
        /^(latest|\d+(\.\d+){0,2}(-[\w.]+)?)$/,
      );
    expect(deployImageTag("e2e", "db-1.0")).not.toBe(
      deployImageTag("e2e-db", "1.0"),
    );
  });

  it("refuses a --version Docker cannot tag", () => {
    for (const bad of ["", "1.0.0+build.1", "-1", "v 1", "a".repeat(65)])
      expect(() => deployImageTag("staging", bad)).toThrow(
        `--version must be 1-64 letters, digits, dots, dashes or underscores starting with a letter or digit (e.g. 1.4.0 or a commit SHA), got "${bad}"`,
      );
  });
});

describe("resolveTarget with a confirmation", () => {
  const withPort = () =>
    parseConfig({
      configJson: '{"environments": {"production": {"port": 80}}}',
    });
  const deploying = (
    config: GantryConfig,
    environment: string,
    confirm: boolean,
  ) =>
    resolveTarget(config, environment, undefined, {
      action: "a deploy",
      confirm,
    });

  it("refuses production without --confirm", () => {
    expect(() => deploying(withPort(), "production", false)).toThrow(
      "a deploy of production requires --confirm (environments.production.requireConfirm); nothing was changed",
    );
    expect(deploying(withPort(), "production", true).port).toBe(80);
  });

  it("asks for --confirm before naming a missing setting", () => {
    expect(() => deploying(defaults(), "production", false)).toThrow(
      "a deploy of production requires --confirm",
    );
    expect(() => deploying(defaults(), "production", true)).toThrow(
      "environments.production.port is not set",
    );
    expect(deploying(defaults(), "development", false).port).toBe(8080);
  });
});

describe("parseCanaryPercent", () => {
  it("accepts 0 to 99, and neither a negative share, 100 nor a fraction", () => {
    expect(parseCanaryPercent(0)).toBe(0);
    expect(parseCanaryPercent(25)).toBe(25);
    expect(() => parseCanaryPercent(100)).toThrow("--canary-percent must be");
    expect(() => parseCanaryPercent(2.5)).toThrow("--canary-percent must be");
    expect(() => parseCanaryPercent(-1)).toThrow(
      "--canary-percent must be a whole number from 1 to 99 (0 switches all traffic at once), got -1",
    );
  });
});

describe("dockerNames", () => {
  it("prefixes everything with the instance", () => {
    const names = dockerNames("preview-pr-1");
    expect(names.app("green")).toBe("gantry-preview-pr-1-green");
    expect(names.proxy).toBe("gantry-preview-pr-1-proxy");
    expect(names.network).toBe("gantry-preview-pr-1");
    expect(names.label).toBe("gantry.instance=preview-pr-1");
    expect(names.historyVolume).toBe("gantry-preview-pr-1-history");
    expect(names.lock).toBe("gantry-preview-pr-1-lock");
  });
});

describe("otherColor", () => {
  it("switches between blue and green", () => {
    expect(otherColor("blue")).toBe("green");
    expect(otherColor("green")).toBe("blue");
  });
});
