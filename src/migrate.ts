// CLI for the SQL migration runner in migrations.ts (see there for why it is hand-written).
//   node dist/migrate.js [up|status|down] [--steps N] [--dry-run]
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { ConfigError, parseMigrateConfig, type Env } from "./config.js";
import { isEntrypoint } from "./entrypoint.js";
import {
  loadMigrations,
  migrateDown,
  migrateUp,
  migrationStatus,
} from "./migrations.js";

const USAGE = "usage: migrate [up|status|down] [--steps N] [--dry-run]";
const COMMANDS = ["up", "status", "down"] as const;
type Command = (typeof COMMANDS)[number];

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface Invocation {
  command: Command;
  steps: number;
  dryRun: boolean;
}

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(
  new URL("../migrations", import.meta.url),
);

function parseInvocation(argv: string[]): Invocation {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      steps: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const [command = "up", ...extra] = positionals;
  if (!COMMANDS.includes(command as Command) || extra.length > 0) {
    throw new Error(`unknown command "${positionals.join(" ")}"`);
  }
  if (values.steps !== undefined && command !== "down") {
    throw new Error("--steps only applies to down");
  }
  const steps = Number(values.steps ?? "1");
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(
      `--steps must be a positive integer, got "${values.steps}"`,
    );
  }
  return { command: command as Command, steps, dryRun: values["dry-run"] };
}

/** Runs one CLI invocation and returns the process exit code. */
export async function runMigrateCli(
  argv: string[],
  env: Env,
  io: CliIo,
): Promise<number> {
  let invocation: Invocation;
  let config;
  try {
    invocation = parseInvocation(argv);
    config = parseMigrateConfig(env);
  } catch (error) {
    const problems =
      error instanceof ConfigError
        ? error.problems
        : [(error as Error).message, USAGE];
    for (const problem of problems) io.err(`migrate: ${problem}`);
    return 2;
  }

  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  try {
    const migrations = await loadMigrations(
      config.MIGRATIONS_DIR ?? DEFAULT_MIGRATIONS_DIR,
    );
    await client.connect();
    const options = {
      dryRun: invocation.dryRun,
      log: io.out,
      lockTimeoutMs: config.MIGRATION_LOCK_TIMEOUT_MS,
    };
    if (invocation.command === "up") {
      await migrateUp(client, migrations, options);
    } else if (invocation.command === "down") {
      await migrateDown(client, migrations, {
        ...options,
        steps: invocation.steps,
      });
    } else {
      const status = await migrationStatus(client, migrations);
      const nameWidth = Math.max(...status.map((line) => line.name.length));
      for (const line of status) {
        const appliedAt = line.appliedAt?.toISOString() ?? "";
        io.out(
          `${line.state.padEnd(12)} ${line.name.padEnd(nameWidth)}  ${appliedAt}`.trimEnd(),
        );
      }
    }
    return 0;
  } catch (error) {
    io.err(
      `migrate: ${invocation.command} failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    await client.end().catch(() => undefined);
  }
}

if (isEntrypoint(import.meta.url)) {
  process.exitCode = await runMigrateCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
