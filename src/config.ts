import { readFileSync } from "node:fs";
import { z } from "zod";

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: "must be a postgres:// or postgresql:// URL",
});

const port = z.coerce.number().int().min(0).max(65_535);
const positiveMs = z.coerce.number().int().positive();

const serverEnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  APP_VERSION: z.string().min(1).optional(),
  GIT_SHA: z.string().min(1).default("unknown"),
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DB_CONNECT_TIMEOUT_MS: positiveMs.default(2_000),
});

const migrateEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  MIGRATIONS_DIR: z.string().min(1).optional(),
  MIGRATION_LOCK_TIMEOUT_MS: positiveMs.default(60_000),
});

/** What each variable must look like, so a failed start tells the operator how to fix it. */
const EXPECTED: Record<string, string> = {
  PORT: "an integer port between 0 and 65535",
  HOST: "a non-empty interface address such as 0.0.0.0",
  DATABASE_URL:
    "a PostgreSQL connection URL such as postgres://user:password@host:5432/dbname",
  LOG_LEVEL: "one of fatal, error, warn, info, debug, trace, silent",
  APP_VERSION: "a non-empty version string such as 1.2.3",
  GIT_SHA: "a non-empty git commit id",
  SHUTDOWN_TIMEOUT_MS: "a positive integer number of milliseconds",
  DB_POOL_MAX: "an integer between 1 and 100",
  DB_CONNECT_TIMEOUT_MS: "a positive integer number of milliseconds",
  MIGRATIONS_DIR: "a path to the directory holding NNN_name.up.sql files",
  MIGRATION_LOCK_TIMEOUT_MS: "a positive integer number of milliseconds",
};

export type ServerConfig = z.infer<typeof serverEnvSchema> & {
  APP_VERSION: string;
};
export type MigrateConfig = z.infer<typeof migrateEnvSchema>;
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

function parseEnv<Schema extends z.ZodObject>(
  schema: Schema,
  env: Env,
): z.infer<Schema> {
  // Docker turns an unset build ARG into an empty ENV value; treat it as unset.
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([, value]) => value !== undefined && value !== "",
    ),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const state = present[name] === undefined ? "is required" : "is invalid";
    return `${name} ${state}: expected ${EXPECTED[name] ?? issue.message}`;
  });
  throw new ConfigError(problems);
}

export function packageVersion(): string {
  // Resolves to the repo root from both src/ (tests) and dist/ (runtime image).
  const packageJson = new URL("../package.json", import.meta.url);
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as {
    version: string;
  };
  return version;
}

export function parseServerConfig(env: Env): ServerConfig {
  const config = parseEnv(serverEnvSchema, env);
  return { ...config, APP_VERSION: config.APP_VERSION ?? packageVersion() };
}

export function parseMigrateConfig(env: Env): MigrateConfig {
  return parseEnv(migrateEnvSchema, env);
}

/** Entry-point helper: print one line per problem and exit, instead of a stack trace. */
export function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) {
      process.stderr.write(`config error: ${problem}\n`);
    }
    process.exit(1);
  }
}
