import { z } from "zod";

/** Severity levels shared by every scanner, lowest first. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

const percent = z.number().min(0).max(100);
const imageRef = z
  .string()
  .regex(
    /^[^\s]+$/,
    "expected an image reference such as node:22-bookworm-slim",
  );
const packageScript = z
  .string()
  .min(1, "expected the name of a script in package.json");
const urlPath = z.string().startsWith("/", "expected a path starting with /");
const dockerNetwork = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    "expected a Docker network name such as db",
  );

const loadThresholds = z
  .object({
    p95Ms: z.number().positive().default(500),
    maxErrorRate: z.number().min(0).max(1).default(0.01),
  })
  .strict();

/** Licenses that are safe to ship in a closed-source service by default (SPDX ids). */
export const DEFAULT_LICENSE_ALLOW = [
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
];

/** One deploy environment; `url`, `port` and `requireConfirm` are optional here because core/deploy/environment.ts fills them per environment (production asks for --confirm). */
export const environmentSchema = z
  .object({
    url: z
      .url({
        error: "expected an absolute URL such as https://staging.example.com",
      })
      .optional(),
    port: z
      .number()
      .int()
      .min(0, "expected a TCP port; 0 lets Docker pick a free one")
      .max(65535)
      .optional(),
    healthPath: urlPath.default("/healthz"),
    readyPath: urlPath.default("/readyz"),
    smokePaths: z.array(urlPath).default(["/version"]),
    requireConfirm: z.boolean().optional(),
    healthTimeoutSeconds: z.number().int().min(1).default(120),
    watchSeconds: z.number().int().min(0).default(60),
    /** Existing networks on the target the app and its migrations join too, e.g. the one its database is on. */
    networks: z.array(dockerNetwork).default([]),
    rollback: loadThresholds
      .extend({ maxHealthFailures: z.number().int().min(1).default(3) })
      .prefault({}),
  })
  .strict();

/** The schema of gantry.config.json (or the "gantry" key of package.json); every field has a default. */
export const configSchema = z
  .object({
    /** Unset: the repository's own pin (.nvmrc, .node-version, .tool-versions, mise.toml, volta, engines.node), else 22. */
    nodeVersion: z
      .string()
      .regex(
        /^\d+(\.\d+){0,2}$/,
        "expected a Node.js version such as 22 or 22.11.0",
      )
      .optional(),
    packageManager: z
      .object({
        /** Unset: from the packageManager field of package.json, then the lockfile. */
        name: z.enum(["npm", "pnpm", "yarn"]).optional(),
        /** false for registries (some private mirrors) whose metadata has no signatures for corepack to verify. */
        verifySignatures: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    images: z
      .object({
        node: imageRef.optional(),
        postgres: imageRef.default("postgres:15-bookworm"),
        k6: imageRef.default("grafana/k6:1.4.2"),
        gitleaks: imageRef.default("zricethezav/gitleaks:v8.30.1"),
        trivy: imageRef.default("aquasec/trivy:0.74.0"),
        git: imageRef.default("alpine/git:v2.45.1"),
        docker: imageRef.default("docker:20.10.24-cli"),
        proxy: imageRef.default("nginx:1.22-bookworm"),
      })
      .strict()
      .prefault({}),
    postgres: z
      .object({
        enabled: z.boolean().default(false),
        database: z.string().min(1).default("app"),
        user: z.string().min(1).default("app"),
        urlEnv: z.string().min(1).default("DATABASE_URL"),
      })
      .strict()
      .prefault({}),
    lint: z
      .object({
        maxWarnings: z.number().int().min(0).nullable().default(null),
        tool: z.enum(["eslint", "xo", "biome", "none"]).optional(),
        script: packageScript.optional(),
      })
      .strict()
      .prefault({}),
    format: z
      .object({
        tool: z.enum(["prettier", "biome", "none"]).optional(),
        script: packageScript.optional(),
      })
      .strict()
      .prefault({}),
    test: z
      .object({
        runner: z
          .enum(["vitest", "jest", "node", "mocha", "ava", "none"])
          .optional(),
        script: packageScript.optional(),
        /** Scripts the tests need run first (e.g. "build" for tests that import the package's own build output). */
        before: z.array(packageScript).default([]),
      })
      .strict()
      .prefault({}),
    typecheck: z
      .object({
        tool: z.enum(["tsc", "none"]).optional(),
        script: packageScript.optional(),
      })
      .strict()
      .prefault({}),
    coverage: z
      .object({
        /** Unset (with the others): Gantry's advisory 80 %, a warning below it; set, a blocking minimum. */
        lines: percent.optional(),
        branches: percent.optional(),
        functions: percent.optional(),
        statements: percent.optional(),
      })
      .strict()
      .prefault({}),
    build: z
      .object({
        dockerfile: z.string().min(1).default("Dockerfile"),
        script: z.string().min(1).default("build"),
        outputDir: z.string().min(1).default("dist"),
        /** Build with Gantry's default Dockerfile (see `dagger call dockerfile`) when the repository has none. */
        defaultDockerfile: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    scan: z
      .object({
        failOn: z.enum(SEVERITIES).default("high"),
        ignore: z
          .array(
            z
              .object({ id: z.string().min(1), reason: z.string().min(1) })
              .strict(),
          )
          .default([]),
        auditUnavailable: z.enum(["warn", "fail"]).default("warn"),
        /** OCI repository of Trivy's vulnerability database (Trivy's --db-repository), for mirrors; unset: Trivy's default. */
        trivyDbRepository: imageRef.optional(),
        skipDirs: z.array(z.string().min(1)).default([]),
        licenses: z
          .object({
            allow: z.array(z.string().min(1)).default(DEFAULT_LICENSE_ALLOW),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    app: z
      .object({
        port: z.number().int().min(1).max(65535).default(3000),
        /** The path the image's HEALTHCHECK probes in Gantry's default Dockerfile. */
        healthPath: urlPath.default("/healthz"),
        migrate: z.array(z.string()).min(1).nullable().default(null),
        env: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    loadTest: z
      .object({
        script: z.string().min(1).default("k6/load.js"),
        profiles: z
          .object({
            smoke: loadThresholds.prefault({}),
            load: loadThresholds.prefault({}),
            spike: loadThresholds.prefault({ p95Ms: 1500, maxErrorRate: 0.05 }),
            soak: loadThresholds.prefault({}),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    release: z
      .object({
        gitUserName: z.string().min(1).default("github-actions[bot]"),
        gitUserEmail: z
          .string()
          .min(1)
          .default("41898282+github-actions[bot]@users.noreply.github.com"),
      })
      .strict()
      .prefault({}),
    environments: z.record(z.string(), environmentSchema).default({}),
  })
  .strict();

export type GantryConfig = z.output<typeof configSchema>;
/** Load-test profiles, each with its own thresholds under loadTest.profiles. */
export enum LoadProfile {
  /** A few seconds of light traffic: the one ci runs. */
  smoke = "smoke",
  /** Ramp up, then sustained load. */
  load = "load",
  /** A sudden burst, then recovery. */
  spike = "spike",
  /** Longer sustained load. */
  soak = "soak",
}
const LOAD_PROFILES = Object.values(LoadProfile);

/** Raised for a config file that does not match the schema; the message lists every bad field. */
export class ConfigError extends Error {}

/** Parses config text from gantry.config.json or package.json into a fully defaulted config. */
export function parseConfig(files: {
  configJson?: string;
  packageJson?: string;
}): GantryConfig {
  const { raw, origin } = pickRawConfig(files);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "(root)";
      return `  - ${path}: ${issue.message}`;
    });
    throw new ConfigError(
      `Invalid Gantry config in ${origin}:\n${lines.join("\n")}`,
    );
  }
  return result.data;
}

function pickRawConfig(files: { configJson?: string; packageJson?: string }): {
  raw: unknown;
  origin: string;
} {
  if (files.configJson !== undefined) {
    return {
      raw: parseJson(files.configJson, "gantry.config.json"),
      origin: "gantry.config.json",
    };
  }
  if (files.packageJson !== undefined) {
    const manifest = parseJson(files.packageJson, "package.json") as {
      gantry?: unknown;
    };
    return { raw: manifest.gantry ?? {}, origin: 'package.json "gantry"' };
  }
  return { raw: {}, origin: "defaults" };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Invalid Gantry config: ${file} is not valid JSON (${(error as Error).message})`,
    );
  }
}

/** Validates the --profile flag. */
export function parseLoadProfile(profile: string): LoadProfile {
  if ((LOAD_PROFILES as string[]).includes(profile))
    return profile as LoadProfile;
  throw new Error(
    `--profile must be one of ${LOAD_PROFILES.join(", ")}, got "${profile}"`,
  );
}
