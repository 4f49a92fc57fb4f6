import { describe, expect, it } from "vitest";
import { runMigrateCli } from "../../src/migrate.js";

const DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";

async function run(
  argv: string[],
  env: Record<string, string> = { DATABASE_URL },
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrateCli(argv, env, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

describe("migrate CLI argument handling", () => {
  it.each([
    [["sideways"], 'unknown command "sideways"'],
    [["up", "extra"], 'unknown command "up extra"'],
    [["up", "--steps", "2"], "--steps only applies to down"],
    [["down", "--steps", "0"], '--steps must be a positive integer, got "0"'],
  ])("rejects %j with usage and exit code 2", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toEqual([
      `migrate: ${message}`,
      "migrate: usage: migrate [up|status|down] [--steps N] [--dry-run]",
    ]);
  });

  it("rejects unknown flags", async () => {
    const { code, err } = await run(["--force"]);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/Unknown option '--force'/);
  });

  it("explains a missing DATABASE_URL", async () => {
    const { code, err } = await run([], {});
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(/^migrate: DATABASE_URL is required: expected/),
    ]);
  });

  it("fails with exit code 1 naming the problem when the migrations directory is missing", async () => {
    const { code, err } = await run(["status"], {
      DATABASE_URL,
      MIGRATIONS_DIR: "/nonexistent/dir",
    });
    expect(code).toBe(1);
    expect(err[0]).toMatch(
      /^migrate: status failed: ENOENT.*\/nonexistent\/dir/,
    );
  });

  it("fails with exit code 1 when the database is unreachable", async () => {
    const { code, err } = await run(["up"]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^migrate: up failed: .*ECONNREFUSED/);
  });
});
