import { z } from "zod";
import { InputError } from "./inputError.js";
import type { PackageJson } from "./toolchain/packageJson.js";

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
// An image reference pinned to one manifest: name[:tag]@sha256:<64 hex>.
const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;
const packageScript = z
  .string()
  .min(1, "expected the name of a script in package.json");
const byteCount = z
  .number()
  .int()
  .positive("expected a size in bytes, e.g. 512000 for 500 kB");
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

const arrivalRate = z
  .number()
  .min(0)
  .max(10_000, "expected at most 10000 script iterations started per second");
/** One stretch of a load profile: `rate` script iterations started per second, ramping linearly to `rampTo` when set. */
const loadStage = z
  .object({
    seconds: z.number().int().min(1).max(3600),
    rate: arrivalRate,
    rampTo: arrivalRate.optional(),
  })
  .strict();
const MAX_PROFILE_SECONDS = 7200;
/** The gates of one load profile; minThroughputRps counts HTTP requests per second, whichever runner sent them. */
const loadSlo = (
  minThroughputRps: number,
  p95Ms = 500,
  maxErrorRate = 0.01,
) => ({
  p95Ms: z.number().positive().default(p95Ms),
  p99Ms: z
    .number()
    .positive()
    .default(Math.max(1000, p95Ms * 2)),
  maxErrorRate: z.number().min(0).max(1).default(maxErrorRate),
  minThroughputRps: z.number().min(0).default(minThroughputRps),
});
/** A fixed-shape profile (smoke, load, spike, soak): its stages and its gates, every field defaulted. */
function loadProfile(
  stages: z.input<typeof loadStage>[],
  slo: Parameters<typeof loadSlo>,
) {
  return z
    .object({
      ...loadSlo(...slo),
      stages: z
        .array(loadStage)
        .min(1)
        .refine(
          (all) =>
            all.reduce((total, stage) => total + stage.seconds, 0) <=
            MAX_PROFILE_SECONDS,
          `expected stages lasting at most ${MAX_PROFILE_SECONDS} seconds in all`,
        )
        .default(stages),
    })
    .strict()
    .prefault({});
}

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

/** Database backups: what `backup` keeps on the target, how they are encrypted, and how fresh a restore-tested one must be. */
const backupSchema = z
  .object({
    /** Take a backup before a deploy runs app.migrate, when the app has a database: --app-env sets postgres.urlEnv. */
    beforeMigrate: z.boolean().default(true),
    /** pg_dump's image for the server's major version: "{major}" is replaced by it (e.g. 15). */
    clientImage: z
      .string()
      .regex(
        /^[^\s]+$/,
        "expected an image reference with {major}, such as postgres:{major}-bookworm",
      )
      .default("postgres:{major}-bookworm"),
    /** Table the backup writes a row into just before the dump; the restore test looks for that row. */
    sentinelTable: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        "expected a lowercase SQL table name such as gantry_backup_sentinel",
      )
      .default("gantry_backup_sentinel"),
    retention: z
      .object({
        /** The newest N backups. */
        keepLast: z.number().int().min(0).default(0),
        /** Every backup younger than N days. */
        keepDays: z.number().int().min(0).default(30),
        /** The newest backup of each of the N most recent days, ISO weeks and months that have one. */
        daily: z.number().int().min(0).default(0),
        weekly: z.number().int().min(0).default(0),
        monthly: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    encryption: z
      .object({
        /** age recipients (age1…, ssh-ed25519 …, ssh-rsa …); set, every backup is encrypted to all of them or not taken. */
        recipients: z
          .array(
            z
              .string()
              .regex(
                /^(age1[0-9a-z]{58}|ssh-(ed25519|rsa) [A-Za-z0-9+/=]+( .*)?)$/,
                "expected an age recipient (age1…) or an SSH public key (ssh-ed25519 …, ssh-rsa …)",
              ),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    /** restore-test fails when the newest backup that passed a restore test is older than this. */
    maxRestoreTestedAgeHours: z.number().positive().default(192),
    /** An offsite copy of every `backup` to an S3-compatible bucket (AWS S3, MinIO, R2, Ceph…); absent: none. */
    offsite: z
      .object({
        bucket: z
          .string()
          .regex(
            /^(?!xn--)(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
            "expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no '..', not an IP address",
          ),
        /** Key prefix the backups go under; "{instance}" is replaced by the environment's instance (e.g. staging). */
        prefix: z
          .string()
          .regex(
            /^([^\s/][^\s]*\/)?$/,
            "expected a key prefix ending in '/' and not starting with one, such as gantry/{instance}/",
          )
          .default("gantry/{instance}/"),
        /** The S3 API's URL for S3-compatible stores (e.g. https://minio.example.com:9000); unset: AWS S3 of `region`. */
        endpoint: z
          .url({
            protocol: /^https?$/,
            error:
              "expected an http(s) URL such as https://minio.example.com:9000",
          })
          .optional(),
        region: z
          .string()
          .regex(/^[a-z0-9-]+$/, "expected a region such as us-east-1")
          .default("us-east-1"),
        /** Address the bucket in the path (endpoint/bucket/key), as MinIO and most self-hosted stores need. */
        forcePathStyle: z.boolean().default(false),
        /** Expire the bucket's copies by backup.retention like the target's; false: leave it to a bucket lifecycle rule. */
        retention: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict()
  .prefault({});

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
        artillery: imageRef.default("artilleryio/artillery:2.0.34"),
        gitleaks: imageRef.default("zricethezav/gitleaks:v8.30.1"),
        trivy: imageRef.default("aquasec/trivy:0.74.0"),
        git: imageRef.default("alpine/git:v2.45.1"),
        docker: imageRef.default("docker:29.2.0-cli"),
        proxy: imageRef.default("nginx:1.22-bookworm"),
        /** An image with `age` on PATH, which encrypts backups and decrypts them; unset: Debian's age package on images.debian (age publishes no image). */
        age: imageRef.optional(),
        /** Debian, for the tools Gantry installs from Debian packages when their own image is not set (age). */
        debian: imageRef.default("debian:bookworm-slim"),
        /** The AWS CLI, for backup.offsite's upload, check and expiry; it receives the S3 credentials. */
        awsCli: imageRef.default("amazon/aws-cli:2.27.50"),
        /** Lighthouse CI's client image: Node, Lighthouse and a Chrome. */
        lighthouse: imageRef.default("patrickhulce/lhci-client:0.15.1"),
        /** Serves lighthouse.staticDir. */
        staticServer: imageRef.default("nginx:1.22-bookworm"),
      })
      .strict()
      .prefault({}),
    imagePolicy: z
      .object({
        /** "secrets": the images handed credentials must be pinned by digest; "all": every image; "off": tags suffice. */
        requireDigest: z.enum(["off", "secrets", "all"]).default("off"),
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
        /** The load generator; both get the same profiles and gates. */
        tool: z.enum(["k6", "artillery"]).default("k6"),
        /** Unset: k6/load.js for k6, artillery/load.yml for artillery. */
        script: z.string().min(1).optional(),
        /** Cap on concurrent virtual users (k6 maxVUs, Artillery maxVusers): arrivals beyond it are dropped and count against the run. */
        maxVirtualUsers: z.number().int().min(1).max(5000).default(50),
        /** A request without an answer after this long is a failed request. */
        requestTimeoutSeconds: z.number().int().min(1).max(120).default(10),
        profiles: z
          .object({
            smoke: loadProfile([{ seconds: 5, rate: 2 }], [1]),
            load: loadProfile(
              [
                { seconds: 30, rate: 1, rampTo: 10 },
                { seconds: 60, rate: 10 },
              ],
              [5],
            ),
            spike: loadProfile(
              [
                { seconds: 10, rate: 2 },
                { seconds: 10, rate: 25 },
                { seconds: 20, rate: 2 },
              ],
              [2, 1500, 0.05],
            ),
            soak: loadProfile([{ seconds: 600, rate: 5 }], [2]),
            stress: z
              .object({
                ...loadSlo(0),
                startRate: z.number().positive().max(10_000).default(5),
                stepRate: z.number().positive().max(10_000).default(5),
                /** The ceiling: no step goes above it. */
                maxRate: z.number().positive().max(10_000).default(100),
                stepSeconds: z.number().int().min(3).max(600).default(10),
                /** Stop once this many steps in a row broke the SLO. */
                breakAfter: z.number().int().min(1).max(10).default(2),
              })
              .strict()
              .refine((stress) => stress.maxRate >= stress.startRate, {
                message: "expected maxRate at or above startRate",
                path: ["maxRate"],
              })
              .prefault({}),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    sizeBudget: z
      .object({
        /** Growth over the base that fails the gate, per byte figure. */
        maxIncreasePercent: z.number().min(0).default(20),
        /** Absolute ceilings, judged with or without a base. */
        max: z
          .object({
            buildRawBytes: byteCount.optional(),
            buildGzipBytes: byteCount.optional(),
            imageBytes: byteCount.optional(),
            imageLayers: z.number().int().min(1).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    lighthouse: z
      .object({
        /** Paths to audit (["/"] with staticDir); with neither set, Lighthouse does not run. */
        pages: z.array(urlPath).default([]),
        /** A directory served as a static site instead of starting the app: one the build script writes (e.g. "dist") or a committed one. */
        staticDir: z.string().min(1).optional(),
        /** Lighthouse's emulated device: mobile (its default: slow 4G, 4x CPU slowdown) or desktop. */
        preset: z.enum(["mobile", "desktop"]).default("mobile"),
        minScores: z
          .object({
            performance: percent.default(90),
            accessibility: percent.default(90),
            "best-practices": percent.default(90),
            seo: percent.default(90),
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
    backup: backupSchema,
  })
  .strict()
  .superRefine(requirePinnedImages);

export type GantryConfig = z.output<typeof configSchema>;
/** The load-test section, fully defaulted. */
export type LoadTestConfig = GantryConfig["loadTest"];

/** The images Gantry hands credentials to: registry, TLS and SSH keys (docker), the push token (git), tokens and webhook URLs (node), backup identities (age). */
export const SECRET_RECEIVING_IMAGES = [
  "docker",
  "git",
  "node",
  "age",
] as const;

/** What Gantry runs for an image left unset, as the image policy's errors name it. */
const UNSET_IMAGE_DEFAULTS: Record<string, string> = {
  node: "Gantry's default for the detected Node version",
  age: "Gantry's default, Debian's age package on images.debian",
};

/** Enforces imagePolicy.requireDigest: a tag can be moved to another image after review, a digest cannot. */
function requirePinnedImages(
  config: {
    images: Record<string, string | undefined>;
    imagePolicy: { requireDigest: "off" | "secrets" | "all" };
    backup: { clientImage: string; offsite?: object };
  },
  context: z.RefinementCtx,
): void {
  const policy = config.imagePolicy.requireDigest;
  if (policy === "off") return;
  const names =
    policy === "all"
      ? Object.keys(configSchema.shape.images.unwrap().shape)
      : SECRET_RECEIVING_IMAGES;
  for (const name of names) {
    const reference = config.images[name];
    if (reference !== undefined && DIGEST_PINNED.test(reference)) continue;
    context.addIssue({
      code: "custom",
      path: ["images", name],
      message:
        `imagePolicy.requireDigest is "${policy}", so this image must be pinned by digest ` +
        `(name:tag@sha256:<64 hex>), got ${reference === undefined ? UNSET_IMAGE_DEFAULTS[name] : `"${reference}"`}`,
    });
  }
  // pg_dump receives the database URL; a digest names one image, so it also fixes the server major it serves.
  if (!DIGEST_PINNED.test(config.backup.clientImage))
    context.addIssue({
      code: "custom",
      path: ["backup", "clientImage"],
      message: `imagePolicy.requireDigest is "${policy}", so pg_dump's image must be one image pinned by digest (postgres:<major>-bookworm@sha256:<64 hex>), got "${config.backup.clientImage}"`,
    });
  // The AWS CLI receives the S3 credentials, when there is an offsite copy at all.
  if (
    policy === "secrets" &&
    config.backup.offsite &&
    !DIGEST_PINNED.test(config.images.awsCli ?? "")
  )
    context.addIssue({
      code: "custom",
      path: ["images", "awsCli"],
      message: `imagePolicy.requireDigest is "secrets" and backup.offsite is set, so the AWS CLI's image must be pinned by digest (name:tag@sha256:<64 hex>), got "${config.images.awsCli}"`,
    });
}
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
  /** Arrival rate rising in steps until the SLO breaks: finds the breaking point. */
  stress = "stress",
}
const LOAD_PROFILES = Object.values(LoadProfile);

/** What the config is read from: gantry.config.json's text, else package.json's "gantry" field. */
export interface ConfigSources {
  configJson?: string;
  /** package.json, parsed (loadProject parses it once for every reader). */
  packageJson?: PackageJson;
}

/** Parses config text from gantry.config.json or package.json into a fully defaulted config. */
export function parseConfig(files: ConfigSources): GantryConfig {
  const { raw, origin } = pickRawConfig(files);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "(root)";
      return `  - ${path}: ${issue.message}`;
    });
    throw new InputError(
      `Invalid Gantry config in ${origin}:\n${lines.join("\n")}`,
    );
  }
  return result.data;
}

function pickRawConfig(files: ConfigSources): {
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
    return {
      raw: files.packageJson.gantry ?? {},
      origin: 'package.json "gantry"',
    };
  }
  return { raw: {}, origin: "defaults" };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
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
