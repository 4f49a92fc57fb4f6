// Hand-written migration runner over pg. Libraries such as node-pg-migrate expect
// migrations written as JS/TS modules; this project keeps them as plain SQL files
// that can be reviewed as-is and run with psql in an emergency.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";

export interface Migration {
  version: number;
  name: string;
  upFile: string;
  upSql: string;
  downFile?: string;
  downSql?: string;
  /** sha256 of the up file, to detect migrations edited after being applied. */
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

export type MigrationState = "applied" | "pending" | "changed" | "file missing";

export interface StatusLine {
  version: number;
  name: string;
  state: MigrationState;
  appliedAt?: Date;
}

export interface RunOptions {
  dryRun: boolean;
  log: (line: string) => void;
}

const MIGRATION_FILE = /^(\d+)_([a-z0-9_]+)\.(up|down)\.sql$/;
// Arbitrary constant shared by every deploy of this service: whoever holds it migrates.
const ADVISORY_LOCK_KEY = 7_238_463_571;
const LOCK_NOT_AVAILABLE = "55P03";

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "MigrationError";
  }
}

export function checksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Reads NNN_name.up.sql / NNN_name.down.sql pairs, ordered by numeric version. */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir))
    .filter((file) => file.endsWith(".sql"))
    .sort();
  const byVersion = new Map<number, Partial<Migration> & { name: string }>();

  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) {
      throw new MigrationError(
        file,
        "file name must look like 001_create_things.up.sql",
      );
    }
    const [, digits, title, direction] = match as unknown as [
      string,
      string,
      string,
      string,
    ];
    const version = Number(digits);
    const name = `${digits}_${title}`;
    const entry = byVersion.get(version) ?? { version, name };
    if (entry.name !== name) {
      throw new MigrationError(
        file,
        `version ${version} is also used by ${entry.name}`,
      );
    }
    const sql = await readFile(path.join(dir, file), "utf8");
    if (direction === "up") {
      Object.assign(entry, {
        upFile: file,
        upSql: sql,
        checksum: checksum(sql),
      });
    } else {
      Object.assign(entry, { downFile: file, downSql: sql });
    }
    byVersion.set(version, entry);
  }

  const migrations = [...byVersion.values()];
  for (const migration of migrations) {
    if (migration.upFile === undefined) {
      throw new MigrationError(
        migration.downFile ?? migration.name,
        "has no matching .up.sql file",
      );
    }
  }
  return (migrations as Migration[]).sort((a, b) => a.version - b.version);
}

async function readApplied(client: pg.ClientBase): Promise<AppliedMigration[]> {
  const { rows: exists } = await client.query<{ found: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS found",
  );
  if (!exists[0]?.found) return [];
  const { rows } = await client.query<{
    version: string;
    name: string;
    checksum: string;
    applied_at: Date;
  }>(
    "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
  );
  return rows.map((row) => ({
    version: Number(row.version),
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at,
  }));
}

export async function migrationStatus(
  client: pg.ClientBase,
  migrations: Migration[],
): Promise<StatusLine[]> {
  const applied = new Map(
    (await readApplied(client)).map((row) => [row.version, row]),
  );
  const lines: StatusLine[] = migrations.map((migration) => {
    const record = applied.get(migration.version);
    applied.delete(migration.version);
    if (!record)
      return {
        version: migration.version,
        name: migration.name,
        state: "pending",
      };
    const state =
      record.checksum === migration.checksum ? "applied" : "changed";
    return {
      version: migration.version,
      name: migration.name,
      state,
      appliedAt: record.appliedAt,
    };
  });
  // Left over: applied by a newer release whose files this one does not ship.
  for (const record of applied.values()) {
    lines.push({
      version: record.version,
      name: record.name,
      state: "file missing",
      appliedAt: record.appliedAt,
    });
  }
  return lines.sort((a, b) => a.version - b.version);
}

function rejectChangedMigrations(
  status: StatusLine[],
  migrations: Migration[],
): void {
  const changed = status.find((line) => line.state === "changed");
  if (!changed) return;
  const file = migrations.find(
    (migration) => migration.version === changed.version,
  )!.upFile;
  throw new MigrationError(
    file,
    "checksum differs from the applied version; add a new migration instead of editing an applied one",
  );
}

async function withAdvisoryLock<T>(
  client: pg.ClientBase,
  lockTimeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  await client.query("SELECT set_config('lock_timeout', $1, false)", [
    `${lockTimeoutMs}ms`,
  ]);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
      throw new Error(
        `another migration run holds the migration lock; gave up after ${lockTimeoutMs} ms`,
        { cause: error },
      );
    }
    throw error;
  }
  // The timeout was for waiting on the lock only, not for the migrations themselves.
  await client.query("SELECT set_config('lock_timeout', '0', false)");
  try {
    return await work();
  } finally {
    // A dead connection has already released its session lock; keep the original error.
    await client
      .query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY])
      .catch(() => undefined);
  }
}

async function runInTransaction(
  client: pg.ClientBase,
  file: string,
  statements: () => Promise<void>,
) {
  await client.query("BEGIN");
  try {
    await statements();
    await client.query("COMMIT");
  } catch (error) {
    // If the connection itself broke, Postgres has already discarded the transaction.
    await client.query("ROLLBACK").catch(() => undefined);
    throw new MigrationError(file, error);
  }
}

function printDryRun(
  log: (line: string) => void,
  verb: string,
  file: string,
  sql: string,
) {
  log(`[dry-run] would ${verb} ${file}:`);
  for (const line of sql.trimEnd().split("\n")) log(`    ${line}`);
}

export async function migrateUp(
  client: pg.ClientBase,
  migrations: Migration[],
  options: RunOptions & { lockTimeoutMs: number },
): Promise<Migration[]> {
  const plan = async () => {
    const status = await migrationStatus(client, migrations);
    rejectChangedMigrations(status, migrations);
    const pending = new Set(
      status.filter((line) => line.state === "pending").map((l) => l.version),
    );
    return migrations.filter((migration) => pending.has(migration.version));
  };

  if (options.dryRun) {
    const pending = await plan();
    for (const migration of pending)
      printDryRun(options.log, "apply", migration.upFile, migration.upSql);
    options.log(
      `[dry-run] ${pending.length} migration(s) pending; nothing was changed`,
    );
    return pending;
  }

  return withAdvisoryLock(client, options.lockTimeoutMs, async () => {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version bigint PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      execution_ms integer NOT NULL
    )`);
    // Planned under the lock: a concurrent deploy may have applied some meanwhile.
    const pending = await plan();
    for (const migration of pending) {
      const started = performance.now();
      await runInTransaction(client, migration.upFile, async () => {
        await client.query(migration.upSql);
        await client.query(
          "INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)",
          [
            migration.version,
            migration.name,
            migration.checksum,
            Math.round(performance.now() - started),
          ],
        );
      });
      options.log(
        `applied ${migration.upFile} (${Math.round(performance.now() - started)} ms)`,
      );
    }
    options.log(
      pending.length
        ? `${pending.length} migration(s) applied`
        : "database is up to date",
    );
    return pending;
  });
}

export async function migrateDown(
  client: pg.ClientBase,
  migrations: Migration[],
  options: RunOptions & { steps: number; lockTimeoutMs: number },
): Promise<Migration[]> {
  const plan = async () => {
    const applied = (await readApplied(client))
      .reverse()
      .slice(0, options.steps);
    return applied.map((record) => {
      const migration = migrations.find(
        (candidate) => candidate.version === record.version,
      );
      if (!migration)
        throw new MigrationError(
          record.name,
          "is applied but its files are missing",
        );
      if (migration.downSql === undefined) {
        throw new MigrationError(
          migration.upFile,
          "has no .down.sql file, so it cannot be reverted",
        );
      }
      return migration as Migration & { downFile: string; downSql: string };
    });
  };

  if (options.dryRun) {
    const reverting = await plan();
    for (const migration of reverting) {
      printDryRun(options.log, "revert", migration.downFile, migration.downSql);
    }
    options.log(
      `[dry-run] ${reverting.length} migration(s) would be reverted; nothing was changed`,
    );
    return reverting;
  }

  return withAdvisoryLock(client, options.lockTimeoutMs, async () => {
    const reverting = await plan();
    for (const migration of reverting) {
      await runInTransaction(client, migration.downFile, async () => {
        await client.query(migration.downSql);
        await client.query("DELETE FROM schema_migrations WHERE version = $1", [
          migration.version,
        ]);
      });
      options.log(`reverted ${migration.downFile}`);
    }
    options.log(
      reverting.length
        ? `${reverting.length} migration(s) reverted`
        : "nothing to revert",
    );
    return reverting;
  });
}
