import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/inputError.js";
import { parseConfig } from "../../src/core/config.js";

// Every default of the whole config at once, and every bound and pattern on both sides: the value at the limit (or a
// typical one several characters long, which a `max` swapped in for a `min` would refuse) is accepted, one step past
// it is refused naming the field and, where the schema has one, its message.

function configErrors(config: unknown): string {
  try {
    parseConfig({ configJson: JSON.stringify(config) });
  } catch (error) {
    return (error as Error).message;
  }
  return "(accepted)";
}

/** `{ a: { b: value } }` for "a.b"; a numeric segment makes an array. */
function at(path: string, value: unknown): unknown {
  return path
    .split(".")
    .reduceRight<unknown>(
      (inner, segment) =>
        /^\d+$/.test(segment) ? [inner] : { [segment]: inner },
      value,
    );
}

const SSH_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0YcFq9s3hRZ8k0dH0r6n5Zb7m3xkQeFh2mT0pW1sT";
const AGE_RECIPIENT = `age1${"q".repeat(58)}`;
const DIGEST = `@sha256:${"a".repeat(64)}`;

describe("the whole default config", () => {
  it("is exactly this (backup.offsite, absent by default, aside)", () => {
    const { images, ...rest } = parseConfig({});
    expect(images).toEqual({
      postgres: "postgres:15-bookworm",
      k6: "grafana/k6:1.4.2",
      artillery: "artilleryio/artillery:2.0.34",
      gitleaks: "zricethezav/gitleaks:v8.30.1",
      trivy: "aquasec/trivy:0.74.0",
      git: "alpine/git:v2.45.1",
      docker: "docker:29.2.0-cli",
      proxy: "nginx:1.22-bookworm",
      // images.age has no default: unset, Debian's age package is installed on images.debian.
      debian: "debian:bookworm-slim",
      awsCli: "amazon/aws-cli:2.27.50",
      lighthouse: "patrickhulce/lhci-client:0.15.1",
      staticServer: "nginx:1.22-bookworm",
    });
    const slo = (
      minThroughputRps: number,
      p95Ms = 500,
      maxErrorRate = 0.01,
    ) => ({
      p95Ms,
      p99Ms: Math.max(1000, p95Ms * 2),
      maxErrorRate,
      minThroughputRps,
    });
    expect(rest).toEqual({
      packageManager: { verifySignatures: true },
      imagePolicy: { requireDigest: "off" },
      postgres: {
        enabled: false,
        database: "app",
        user: "app",
        urlEnv: "DATABASE_URL",
      },
      lint: { maxWarnings: null },
      format: {},
      test: { before: [] },
      typecheck: {},
      coverage: {},
      build: {
        dockerfile: "Dockerfile",
        script: "build",
        outputDir: "dist",
        defaultDockerfile: false,
      },
      scan: {
        failOn: "high",
        ignore: [],
        auditUnavailable: "warn",
        skipDirs: [],
        licenses: { allow: expect.arrayContaining(["MIT"]) },
      },
      app: { port: 3000, healthPath: "/healthz", migrate: null, env: {} },
      loadTest: {
        tool: "k6",
        maxVirtualUsers: 50,
        requestTimeoutSeconds: 10,
        profiles: {
          smoke: { ...slo(1), stages: [{ seconds: 5, rate: 2 }] },
          load: {
            ...slo(5),
            stages: [
              { seconds: 30, rate: 1, rampTo: 10 },
              { seconds: 60, rate: 10 },
            ],
          },
          spike: {
            ...slo(2, 1500, 0.05),
            stages: [
              { seconds: 10, rate: 2 },
              { seconds: 10, rate: 25 },
              { seconds: 20, rate: 2 },
            ],
          },
          soak: { ...slo(2), stages: [{ seconds: 600, rate: 5 }] },
          stress: {
            ...slo(0),
            startRate: 5,
            stepRate: 5,
            maxRate: 100,
            stepSeconds: 10,
            breakAfter: 2,
          },
        },
      },
      sizeBudget: { maxIncreasePercent: 20, max: {} },
      lighthouse: {
        pages: [],
        preset: "mobile",
        minScores: {
          performance: 90,
          accessibility: 90,
          "best-practices": 90,
          seo: 90,
        },
      },
      release: {
        gitUserName: "github-actions[bot]",
        gitUserEmail: "41898282+github-actions[bot]@users.noreply.github.com",
      },
      environments: {},
      backup: {
        beforeMigrate: true,
        clientImage: "postgres:{major}-bookworm",
        sentinelTable: "gantry_backup_sentinel",
        retention: {
          keepLast: 0,
          keepDays: 30,
          daily: 0,
          weekly: 0,
          monthly: 0,
        },
        encryption: { recipients: [] },
        maxRestoreTestedAgeHours: 192,
      },
    });
  });
});

describe("every enum value is accepted", () => {
  it.each([
    ["lint.tool", ["eslint", "xo", "biome", "none"]],
    ["format.tool", ["prettier", "biome", "none"]],
    ["test.runner", ["vitest", "jest", "node", "mocha", "ava", "none"]],
    ["typecheck.tool", ["tsc", "none"]],
    ["packageManager.name", ["npm", "pnpm", "yarn"]],
    ["scan.auditUnavailable", ["warn", "fail"]],
    ["scan.failOn", ["low", "medium", "high", "critical"]],
    ["loadTest.tool", ["k6", "artillery"]],
    ["lighthouse.preset", ["mobile", "desktop"]],
    ["imagePolicy.requireDigest", ["off"]],
  ])("%s", (path, values) => {
    for (const value of values)
      expect(configErrors(at(path, value))).toBe("(accepted)");
    expect(configErrors(at(path, "other"))).toContain(`  - ${path}: `);
  });
});

// [field, accepted values, refused values, the message of the first refusal when the schema sets one]
const LIMITS: [string, unknown[], unknown[], string?][] = [
  [
    "nodeVersion",
    ["22", "22.11", "22.11.0", "100.200.300"],
    ["v22", "22.11.0.1", "22.", "22.x", ""],
    "expected a Node.js version such as 22 or 22.11.0",
  ],
  ["postgres.database", ["a", "app_db"], [""]],
  ["postgres.user", ["a", "app_user"], [""]],
  ["postgres.urlEnv", ["DB_URL"], [""]],
  ["build.dockerfile", ["Dockerfile.prod"], [""]],
  ["build.script", ["build:prod"], [""]],
  ["build.outputDir", ["build/out"], [""]],
  [
    "lint.script",
    ["lint:ci"],
    [""],
    "expected the name of a script in package.json",
  ],
  ["lint.maxWarnings", [0, 25], [-1, 2.5]],
  ["test.before.0", ["build:test"], [""]],
  [
    "scan.ignore.0",
    [{ id: "CVE-2024-1", reason: "not reachable" }],
    [
      { id: "", reason: "not reachable" },
      { id: "CVE-2024-1", reason: "" },
    ],
  ],
  ["scan.skipDirs.0", ["vendor"], [""]],
  ["scan.licenses.allow.0", ["MPL-2.0"], [""]],
  [
    "scan.trivyDbRepository",
    ["mirror.local/trivy-db:2"],
    ["mirror.local/trivy db", " mirror", "mirror "],
    "expected an image reference such as node:22-bookworm-slim",
  ],
  ["images.node", ["node:22-bookworm-slim"], ["node 22"]],
  ["app.port", [1, 3000, 65535], [0, 65536, 80.5]],
  [
    "app.healthPath",
    ["/health/live"],
    ["health", "health/"],
    "expected a path starting with /",
  ],
  ["app.migrate", [["npm", "run", "migrate"]], [[]]],
  ["coverage.branches", [0, 55.5, 100], [-0.1, 100.1]],
  [
    "environments.staging.port",
    [0, 8080, 65535],
    [-1, 65536],
    "expected a TCP port; 0 lets Docker pick a free one",
  ],
  [
    "environments.staging.healthPath",
    ["/up"],
    ["up"],
    "expected a path starting with /",
  ],
  ["environments.staging.readyPath", ["/ready/now"], ["ready/"]],
  ["environments.staging.healthTimeoutSeconds", [1, 300], [0, 1.5]],
  ["environments.staging.watchSeconds", [0, 600], [-1]],
  [
    "environments.staging.networks.0",
    ["db", "db_net-1.x", "9"],
    ["-db", "_db", "db net", ""],
    "expected a Docker network name such as db",
  ],
  ["environments.staging.rollback.maxHealthFailures", [1, 5], [0]],
  ["environments.staging.rollback.maxErrorRate", [0, 0.5, 1], [-0.01, 1.01]],
  ["loadTest.script", ["k6/load.js"], [""]],
  ["loadTest.maxVirtualUsers", [1, 200, 5000], [0, 5001]],
  ["loadTest.requestTimeoutSeconds", [1, 30, 120], [0, 121]],
  ["loadTest.profiles.smoke.maxErrorRate", [0, 0.2, 1], [-0.01, 1.01]],
  ["loadTest.profiles.smoke.minThroughputRps", [0, 12.5], [-1]],
  ["loadTest.profiles.smoke.p95Ms", [0.5, 800], [0]],
  [
    "loadTest.profiles.load.stages.0",
    [
      { seconds: 1, rate: 0 },
      { seconds: 3600, rate: 10_000, rampTo: 10_000 },
      { seconds: 20, rate: 3, rampTo: 0 },
    ],
    [
      { seconds: 0, rate: 1 },
      { seconds: 3601, rate: 1 },
      { seconds: 10, rate: -1 },
      { seconds: 10, rate: 10_001 },
      { seconds: 10, rate: 1, rampTo: 10_001 },
    ],
  ],
  [
    "loadTest.profiles.load.stages.0.rate",
    [],
    [10_001],
    "expected at most 10000 script iterations started per second",
  ],
  [
    "loadTest.profiles.soak.stages",
    [
      [
        { seconds: 3600, rate: 1 },
        { seconds: 3600, rate: 1 },
      ],
    ],
    [
      [],
      [
        { seconds: 3600, rate: 1 },
        { seconds: 3600, rate: 1 },
        { seconds: 1, rate: 1 },
      ],
    ],
  ],
  ["loadTest.profiles.stress.startRate", [0.5, 100], [0, 10_001]],
  ["loadTest.profiles.stress.stepRate", [0.5, 10_000], [0, 10_001]],
  ["loadTest.profiles.stress.maxRate", [5, 10_000], [10_001]],
  ["loadTest.profiles.stress.stepSeconds", [3, 60, 600], [2, 601]],
  ["loadTest.profiles.stress.breakAfter", [1, 5, 10], [0, 11]],
  ["sizeBudget.maxIncreasePercent", [0, 35], [-1]],
  [
    "sizeBudget.max.buildRawBytes",
    [1, 512000],
    [0, 1.5],
    "expected a size in bytes, e.g. 512000 for 500 kB",
  ],
  ["sizeBudget.max.imageLayers", [1, 12], [0, 1.5]],
  [
    "lighthouse.pages.0",
    ["/", "/about"],
    ["about", "about/"],
    "expected a path starting with /",
  ],
  ["lighthouse.staticDir", ["dist"], [""]],
  ["lighthouse.minScores.seo", [0, 75, 100], [-1, 101]],
  ["release.gitUserName", ["release bot"], [""]],
  [
    "backup.clientImage",
    ["postgres:{major}-bookworm", "mirror.local/postgres:{major}"],
    ["postgres {major}", " postgres:{major}", "postgres:{major} "],
    "expected an image reference with {major}, such as postgres:{major}-bookworm",
  ],
  [
    "backup.sentinelTable",
    ["a", "_x1", "gantry_backup_sentinel", `t${"x".repeat(62)}`],
    ["A", "1a", "a-b", "a b", " a", "a ", `t${"x".repeat(63)}`],
    "expected a lowercase SQL table name such as gantry_backup_sentinel",
  ],
  ["backup.retention.keepLast", [0, 7], [-1, 1.5]],
  ["backup.retention.keepDays", [0, 14], [-1]],
  ["backup.retention.daily", [0, 7], [-1]],
  ["backup.retention.weekly", [0, 4], [-1]],
  ["backup.retention.monthly", [0, 12], [-1]],
  [
    "backup.encryption.recipients.0",
    [
      AGE_RECIPIENT,
      SSH_KEY,
      `${SSH_KEY} ops@example.com`,
      "ssh-rsa AAAAB3NzaC1yc2E= user@host",
    ],
    [
      `age1${"q".repeat(57)}`,
      `age1${"Q".repeat(58)}`,
      `x${AGE_RECIPIENT}`,
      `${AGE_RECIPIENT} trailing`,
      "ssh-ed25519 ",
      "ssh-ed25519 AAAA!",
      "ssh-dss AAAA",
    ],
    "expected an age recipient (age1…) or an SSH public key (ssh-ed25519 …, ssh-rsa …)",
  ],
  ["backup.maxRestoreTestedAgeHours", [0.5, 48], [0]],
];

describe("limits", () => {
  it.each(LIMITS)("%s", (path, accepted, refused, message) => {
    for (const value of accepted)
      expect([value, configErrors(at(path, value))]).toEqual([
        value,
        "(accepted)",
      ]);
    for (const value of refused) {
      const errors = configErrors(at(path, value));
      expect([value, errors]).toEqual([
        value,
        expect.stringContaining(`  - ${path}`),
      ]);
      if (message && value === refused[0]) expect(errors).toContain(message);
    }
  });

  it("refuses a stress profile whose ceiling is below its start, naming maxRate", () => {
    const stress = (startRate: number, maxRate: number) =>
      configErrors({
        loadTest: { profiles: { stress: { startRate, maxRate } } },
      });
    expect(stress(50, 50)).toBe("(accepted)");
    expect(stress(50, 49.5)).toContain(
      "  - loadTest.profiles.stress.maxRate: expected maxRate at or above startRate",
    );
  });

  it("names the profile length limit", () => {
    expect(
      configErrors({
        loadTest: {
          profiles: {
            soak: {
              stages: [
                { seconds: 3600, rate: 1 },
                { seconds: 3600, rate: 1 },
                { seconds: 1, rate: 1 },
              ],
            },
          },
        },
      }),
    ).toContain("expected stages lasting at most 7200 seconds in all");
  });

  it("takes only a digest at the end of an image reference as a pin", () => {
    const pinned = {
      imagePolicy: { requireDigest: "secrets" },
      images: {
        docker: `docker:29${DIGEST}`,
        git: `alpine/git:v2${DIGEST}`,
        node: `node:22${DIGEST}`,
        age: `age:1${DIGEST}`,
      },
      backup: { clientImage: `postgres:15-bookworm${DIGEST}` },
    };
    expect(configErrors(pinned)).toBe("(accepted)");
    expect(
      configErrors({
        ...pinned,
        images: { ...pinned.images, node: `node:22${DIGEST}-extra` },
      }),
    ).toContain("  - images.node: ");
  });
});

describe("where the config came from", () => {
  it("names gantry.config.json, or package.json's gantry key, in the error", () => {
    expect(configErrors({ app: { port: 0 } })).toMatch(
      /^Invalid Gantry config in gantry\.config\.json:\n {2}- app\.port: /,
    );
    expect(() =>
      parseConfig({ packageJson: { gantry: { app: { port: 0 } } } }),
    ).toThrow(
      /^Invalid Gantry config in package\.json "gantry":\n {2}- app\.port: /,
    );
    expect(() => parseConfig({ configJson: "{" })).toThrow(InputError);
    expect(
      configErrors({ app: { port: 0 }, lint: { maxWarnings: -1 } }),
    ).toMatch(
      /^Invalid Gantry config in gantry\.config\.json:\n {2}- lint\.maxWarnings: [^\n]+\n {2}- app\.port: [^\n]+$/,
    );
  });

  it("uses the defaults for a package.json without a gantry key", () => {
    expect(parseConfig({ packageJson: { name: "app" } })).toEqual(
      parseConfig({}),
    );
  });
});
