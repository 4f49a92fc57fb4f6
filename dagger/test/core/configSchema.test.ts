import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  configSchema,
  DEFAULT_LICENSE_ALLOW,
  environmentSchema,
  parseConfig,
  type GantryConfig,
} from "../../src/core/config.js";

// A path segment through a record (an environment name) or an array (its first item).
const RECORD_KEY = "staging";
const ARRAY_ITEM = 0;
type Segment = string | number;

/**
 * Every object of the schema, found by walking it (so a section added later is covered without editing this test),
 * as the path a config file would reach it by.
 */
function objectPaths(schema: z.ZodType, path: Segment[] = []): Segment[][] {
  const def = schema._zod.def as unknown as {
    type: string;
    innerType?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    element?: z.ZodType;
    valueType?: z.ZodType;
  };
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
      return objectPaths(def.innerType!, path);
    case "array":
      return objectPaths(def.element!, [...path, ARRAY_ITEM]);
    case "record":
      return objectPaths(def.valueType!, [...path, RECORD_KEY]);
    case "object":
      return [
        path,
        ...Object.entries(def.shape!).flatMap(([key, field]) =>
          objectPaths(field, [...path, key]),
        ),
      ];
    default:
      return [];
  }
}

/** A config whose only content is `{ [key]: true }` at `path`. */
function configWithKeyAt(path: Segment[], key: string): unknown {
  return path.reduceRight<unknown>(
    (inner, segment) =>
      typeof segment === "number" ? [inner] : { [segment]: inner },
    { [key]: true },
  );
}

function configErrors(config: unknown): string {
  try {
    parseConfig({ configJson: JSON.stringify(config) });
  } catch (error) {
    return (error as Error).message;
  }
  return "(accepted)";
}

describe("unknown keys", () => {
  const paths = objectPaths(configSchema);

  it("the walk reaches every nesting level: root, sections, their sub-objects, records and arrays of objects", () => {
    const dotted = paths.map((path) => path.join("."));
    expect(dotted).toEqual(
      expect.arrayContaining([
        "",
        "scan",
        "scan.licenses",
        "scan.ignore.0",
        "packageManager",
        "environments.staging",
        "environments.staging.rollback",
      ]),
    );
  });

  it.each(paths.map((path) => [path.join(".") || "(root)", path] as const))(
    "are refused in %s, naming the key and where it is",
    (where, path) => {
      // A plausible typo: a lower-cased `failOn` in scan, `maxwarnings` in lint, and so on.
      expect(configErrors(configWithKeyAt(path, "typoKey"))).toContain(
        `  - ${where}: Unrecognized key: "typoKey"`,
      );
    },
  );

  it("a mistyped scan.failOn is refused, not silently replaced by the default", () => {
    expect(configErrors({ scan: { failon: "low" } })).toContain(
      'scan: Unrecognized key: "failon"',
    );
  });
});

describe("defaults", () => {
  // Read in a hook, not while the file is collected: a mutant that makes it throw then fails these tests instead of
  // leaving the file without tests (which Stryker counts as no test; see test/MUTATION.md).
  let defaults: GantryConfig;
  beforeAll(() => {
    defaults = parseConfig({});
  });

  it("leave the toolchain to the repository's own pins and scripts", () => {
    expect(defaults.nodeVersion).toBeUndefined();
    expect(defaults.packageManager).toEqual({ verifySignatures: true });
    expect(defaults.lint).toEqual({ maxWarnings: null });
    expect(defaults.format).toEqual({});
    expect(defaults.test).toEqual({ before: [] });
    expect(defaults.typecheck).toEqual({});
    // Unset, so the advisory 80 % applies and only warns.
    expect(defaults.coverage).toEqual({});
  });

  it("run no Postgres and build from the Dockerfile with the build script into dist", () => {
    expect(defaults.postgres).toEqual({
      enabled: false,
      database: "app",
      user: "app",
      urlEnv: "DATABASE_URL",
    });
    expect(defaults.build).toEqual({
      dockerfile: "Dockerfile",
      script: "build",
      outputDir: "dist",
      defaultDockerfile: false,
    });
  });

  it("fail the scans on high and above, warn when the audit cannot run, and allow the permissive licenses", () => {
    expect(defaults.scan).toEqual({
      failOn: "high",
      ignore: [],
      auditUnavailable: "warn",
      skipDirs: [],
      licenses: { allow: DEFAULT_LICENSE_ALLOW },
    });
    expect(DEFAULT_LICENSE_ALLOW).toEqual([
      "MIT",
      "ISC",
      "Apache-2.0",
      "BSD-2-Clause",
      "BSD-3-Clause",
      "0BSD",
      "BlueOak-1.0.0",
      "CC0-1.0",
      "CC-BY-4.0",
      "Unlicense",
      "Python-2.0",
    ]);
  });

  it("serve the app on port 3000 with its health check on /healthz, no migrations and no extra env", () => {
    expect(defaults.app).toEqual({
      port: 3000,
      healthPath: "/healthz",
      migrate: null,
      env: {},
    });
  });

  it("commit releases as GitHub Actions' bot and define no environments", () => {
    expect(defaults.release).toEqual({
      gitUserName: "github-actions[bot]",
      gitUserEmail: "41898282+github-actions[bot]@users.noreply.github.com",
    });
    expect(defaults.environments).toEqual({});
  });

  it("give an environment its probes, timings and rollback thresholds; url, port and confirmation are decided per environment", () => {
    expect(environmentSchema.parse({})).toEqual({
      healthPath: "/healthz",
      readyPath: "/readyz",
      smokePaths: ["/version"],
      healthTimeoutSeconds: 120,
      watchSeconds: 60,
      networks: [],
      rollback: { p95Ms: 500, maxErrorRate: 0.01, maxHealthFailures: 3 },
    });
  });
});

describe("bounds", () => {
  it.each([
    [
      "coverage.lines",
      { coverage: { lines: 0 } },
      { coverage: { lines: -0.1 } },
    ],
    [
      "coverage.lines",
      { coverage: { lines: 100 } },
      { coverage: { lines: 100.1 } },
    ],
    [
      "lint.maxWarnings",
      { lint: { maxWarnings: 0 } },
      { lint: { maxWarnings: -1 } },
    ],
    [
      "lint.maxWarnings",
      { lint: { maxWarnings: 3 } },
      { lint: { maxWarnings: 2.5 } },
    ],
    ["app.port", { app: { port: 1 } }, { app: { port: 0 } }],
    ["app.port", { app: { port: 65535 } }, { app: { port: 65536 } }],
    [
      "app.migrate",
      { app: { migrate: ["npm", "run", "migrate"] } },
      { app: { migrate: [] } },
    ],
    [
      "postgres.database",
      { postgres: { database: "a" } },
      { postgres: { database: "" } },
    ],
    [
      "build.dockerfile",
      { build: { dockerfile: "D" } },
      { build: { dockerfile: "" } },
    ],
    [
      "scan.ignore.0.reason",
      { scan: { ignore: [{ id: "CVE-1", reason: "r" }] } },
      { scan: { ignore: [{ id: "CVE-1", reason: "" }] } },
    ],
    [
      "scan.trivyDbRepository",
      { scan: { trivyDbRepository: "mirror.local/trivy-db:2" } },
      { scan: { trivyDbRepository: "mirror.local/trivy db" } },
    ],
    [
      "environments.staging.port",
      { environments: { staging: { port: 0 } } },
      { environments: { staging: { port: -1 } } },
    ],
    [
      "environments.staging.port",
      { environments: { staging: { port: 65535 } } },
      { environments: { staging: { port: 65536 } } },
    ],
    [
      "environments.staging.healthTimeoutSeconds",
      { environments: { staging: { healthTimeoutSeconds: 1 } } },
      { environments: { staging: { healthTimeoutSeconds: 0 } } },
    ],
    [
      "environments.staging.watchSeconds",
      { environments: { staging: { watchSeconds: 0 } } },
      { environments: { staging: { watchSeconds: -1 } } },
    ],
    [
      "environments.staging.smokePaths.0",
      { environments: { staging: { smokePaths: ["/"] } } },
      { environments: { staging: { smokePaths: ["version"] } } },
    ],
    [
      "environments.staging.rollback.maxHealthFailures",
      { environments: { staging: { rollback: { maxHealthFailures: 1 } } } },
      { environments: { staging: { rollback: { maxHealthFailures: 0 } } } },
    ],
    [
      "environments.staging.rollback.maxErrorRate",
      { environments: { staging: { rollback: { maxErrorRate: 1 } } } },
      { environments: { staging: { rollback: { maxErrorRate: 1.01 } } } },
    ],
    [
      "environments.staging.rollback.p95Ms",
      { environments: { staging: { rollback: { p95Ms: 0.5 } } } },
      { environments: { staging: { rollback: { p95Ms: 0 } } } },
    ],
  ])(
    "%s: the limit is accepted, one step past it is refused naming the field",
    (field, accepted, refused) => {
      expect(configErrors(accepted)).toBe("(accepted)");
      expect(configErrors(refused)).toContain(`  - ${field}: `);
    },
  );
});
