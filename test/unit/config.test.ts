import { describe, expect, it, vi } from "vitest";
import {
  ConfigError,
  orExit,
  packageVersion,
  parseMigrateConfig,
  parseServerConfig,
} from "../../src/config.js";

const DATABASE_URL = "postgres://app:secret@db.internal:5432/app";

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseServerConfig", () => {
  it("applies defaults when only DATABASE_URL is set", () => {
    expect(parseServerConfig({ DATABASE_URL })).toEqual({
      PORT: 3000,
      HOST: "0.0.0.0",
      DATABASE_URL,
      LOG_LEVEL: "info",
      APP_VERSION: packageVersion(),
      GIT_SHA: "unknown",
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DB_POOL_MAX: 10,
      DB_CONNECT_TIMEOUT_MS: 2_000,
    });
  });

  it("coerces numeric variables and keeps explicit values", () => {
    const config = parseServerConfig({
      DATABASE_URL: "postgresql://localhost/app",
      PORT: "8080",
      LOG_LEVEL: "debug",
      APP_VERSION: "1.4.0",
      GIT_SHA: "abc1234",
      SHUTDOWN_TIMEOUT_MS: "2500",
    });
    expect(config).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: "debug",
      APP_VERSION: "1.4.0",
      GIT_SHA: "abc1234",
      SHUTDOWN_TIMEOUT_MS: 2500,
    });
  });

  it("treats empty values (unset Docker build args) as unset", () => {
    const config = parseServerConfig({
      DATABASE_URL,
      APP_VERSION: "",
      GIT_SHA: "",
    });
    expect(config.APP_VERSION).toBe(packageVersion());
    expect(config.GIT_SHA).toBe("unknown");
  });

  it("names a missing DATABASE_URL and what it should look like", () => {
    expect(problemsOf(() => parseServerConfig({}))).toEqual([
      "DATABASE_URL is required: expected a PostgreSQL connection URL such as postgres://user:password@host:5432/dbname",
    ]);
  });

  it("reports every invalid variable on its own line", () => {
    const problems = problemsOf(() =>
      parseServerConfig({
        DATABASE_URL: "mysql://localhost/app",
        PORT: "http",
        LOG_LEVEL: "loud",
        SHUTDOWN_TIMEOUT_MS: "-5",
      }),
    );
    expect(problems).toEqual([
      "PORT is invalid: expected an integer port between 0 and 65535",
      "DATABASE_URL is invalid: expected a PostgreSQL connection URL such as postgres://user:password@host:5432/dbname",
      "LOG_LEVEL is invalid: expected one of fatal, error, warn, info, debug, trace, silent",
      "SHUTDOWN_TIMEOUT_MS is invalid: expected a positive integer number of milliseconds",
    ]);
  });

  it("never echoes the (possibly secret) value in its messages", () => {
    const error = (() => {
      try {
        parseServerConfig({ DATABASE_URL: "not a url with hunter2" });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).not.toContain("hunter2");
  });
});

describe("parseMigrateConfig", () => {
  it("needs only DATABASE_URL", () => {
    expect(parseMigrateConfig({ DATABASE_URL })).toEqual({
      DATABASE_URL,
      MIGRATION_LOCK_TIMEOUT_MS: 60_000,
    });
  });

  it("accepts a migrations directory override", () => {
    expect(
      parseMigrateConfig({ DATABASE_URL, MIGRATIONS_DIR: "/srv/migrations" }),
    ).toMatchObject({
      MIGRATIONS_DIR: "/srv/migrations",
    });
  });

  it("rejects a missing DATABASE_URL", () => {
    expect(problemsOf(() => parseMigrateConfig({}))).toEqual([
      expect.stringMatching(/^DATABASE_URL is required/),
    ]);
  });
});

describe("orExit", () => {
  it("prints one line per problem and exits 1", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });

    expect(() => orExit(() => parseServerConfig({ PORT: "x" }))).toThrow(
      "exit 1",
    );
    expect(written).toEqual([
      "config error: PORT is invalid: expected an integer port between 0 and 65535\n",
      expect.stringMatching(/^config error: DATABASE_URL is required: /),
    ]);
    vi.restoreAllMocks();
  });

  it("returns the value when loading succeeds and rethrows unexpected errors", () => {
    expect(orExit(() => 42)).toBe(42);
    expect(() =>
      orExit(() => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
  });
});
