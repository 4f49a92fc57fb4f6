import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/inputError.js";
import {
  DEFAULT_LICENSE_ALLOW,
  parseConfig,
  parseLoadProfile,
} from "../../src/core/config.js";

describe("parseConfig", () => {
  it("fills every default when there is no config at all", () => {
    const config = parseConfig({});
    // Unset, so the repository's own pin decides (core/toolchain).
    expect(config.nodeVersion).toBeUndefined();
    expect(config.images.node).toBeUndefined();
    expect(config.packageManager).toEqual({ verifySignatures: true });
    expect(config.test).toEqual({ before: [] });
    expect(config.images.postgres).toBe("postgres:15-bookworm");
    expect(config.coverage.lines).toBeUndefined();
    expect(config.scan.failOn).toBe("high");
    expect(config.scan.licenses.allow).toEqual(DEFAULT_LICENSE_ALLOW);
    expect(config.loadTest.tool).toBe("k6");
    expect(config.loadTest.profiles.smoke).toEqual({
      p95Ms: 500,
      p99Ms: 1000,
      maxErrorRate: 0.01,
      minThroughputRps: 1,
      stages: [{ seconds: 5, rate: 2 }],
    });
    expect(config.loadTest.profiles.spike).toMatchObject({
      p95Ms: 1500,
      p99Ms: 3000,
      maxErrorRate: 0.05,
    });
    expect(config.postgres.enabled).toBe(false);
  });

  it("names the field and what it expected for bad toolchain overrides", () => {
    expect(() =>
      parseConfig({
        configJson:
          '{"nodeVersion": "lts", "packageManager": {"name": "bun"}, "test": {"runner": "tap"}, "lint": {"script": ""}}',
      }),
    ).toThrow(
      /nodeVersion: expected a Node.js version such as 22 or 22.11.0[\s\S]*packageManager.name: [\s\S]*"npm"[\s\S]*lint.script: expected the name of a script in package.json[\s\S]*test.runner:/,
    );
  });

  it("reads the gantry key of package.json when there is no gantry.config.json", () => {
    const config = parseConfig({
      packageJson: {
        name: "x",
        gantry: { coverage: { lines: 90 } },
      },
    });
    expect(config.coverage.lines).toBe(90);
  });

  it("prefers gantry.config.json over package.json", () => {
    const config = parseConfig({
      configJson: '{"coverage": {"lines": 70}}',
      packageJson: { gantry: { coverage: { lines: 90 } } },
    });
    expect(config.coverage.lines).toBe(70);
  });

  it("lists every invalid field with its path and expectation", () => {
    const bad = {
      coverage: { lines: 120 },
      scan: { failOn: "severe" },
      images: { trivy: "has space" },
      unknownKey: true,
      environments: { staging: { url: "not a url", port: 70000 } },
    };
    let error: unknown;
    try {
      parseConfig({ configJson: JSON.stringify(bad) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain("Invalid Gantry config in gantry.config.json");
    expect(message).toMatch(/coverage\.lines: .*<=100/);
    expect(message).toMatch(
      /scan\.failOn: .*"low"\|"medium"\|"high"\|"critical"/,
    );
    expect(message).toMatch(/images\.trivy: expected an image reference/);
    expect(message).toMatch(/\(root\): Unrecognized key: "unknownKey"/);
    expect(message).toMatch(
      /environments\.staging\.url: expected an absolute URL/,
    );
    expect(message).toMatch(/environments\.staging\.port: .*<=65535/);
  });

  it("rejects a config file that is not JSON, naming the file", () => {
    expect(() => parseConfig({ configJson: "{ nope" })).toThrow(
      /gantry.config.json is not valid JSON/,
    );
  });

  it("defaults the release's git image and commit identity, which air-gapped teams override", () => {
    const defaults = parseConfig({});
    expect(defaults.images.git).toBe("alpine/git:v2.45.1");
    expect(defaults.release).toEqual({
      gitUserName: "github-actions[bot]",
      gitUserEmail: "41898282+github-actions[bot]@users.noreply.github.com",
    });
    const custom = parseConfig({
      configJson: JSON.stringify({
        images: { git: "mirror.local/git:2" },
        release: { gitUserName: "Release Bot", gitUserEmail: "bot@acme.test" },
      }),
    });
    expect(custom.images.git).toBe("mirror.local/git:2");
    expect(custom.release.gitUserName).toBe("Release Bot");
  });

  it("defaults each environment's rollback thresholds", () => {
    const config = parseConfig({
      configJson:
        '{"environments": {"staging": {"url": "https://staging.example.com"}}}',
    });
    expect(config.environments.staging.rollback).toEqual({
      p95Ms: 500,
      maxErrorRate: 0.01,
      maxHealthFailures: 3,
    });
  });
});

describe("deploy settings", () => {
  it("defaults the proxy and docker CLI images and the health and watch timings", () => {
    const config = parseConfig({
      configJson: '{"environments": {"staging": {"port": 8081}}}',
    });
    expect(config.images.docker).toBe("docker:29.2.0-cli");
    expect(config.images.proxy).toBe("nginx:1.22-bookworm");
    expect(config.environments.staging).toMatchObject({
      port: 8081,
      networks: [],
      healthTimeoutSeconds: 120,
      watchSeconds: 60,
      smokePaths: ["/version"],
    });
    expect(config.environments.staging.url).toBeUndefined();
    expect(config.environments.staging.requireConfirm).toBeUndefined();
  });

  it("names the environment field of a bad network name", () => {
    expect(() =>
      parseConfig({
        configJson: '{"environments": {"staging": {"networks": ["db net"]}}}',
      }),
    ).toThrow(
      "environments.staging.networks.0: expected a Docker network name such as db",
    );
  });
});

describe("parseLoadProfile", () => {
  it("accepts the five profiles and names the flag otherwise", () => {
    expect(parseLoadProfile("stress")).toBe("stress");
    expect(() => parseLoadProfile("ramp")).toThrow(
      '--profile must be one of smoke, load, spike, soak, stress, got "ramp"',
    );
  });
});
