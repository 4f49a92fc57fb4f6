import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";
import { DEFAULT_MIGRATIONS_DIR, runMigrateCli } from "../../src/migrate.js";
import { loadMigrations, migrateUp } from "../../src/migrations.js";
import {
  createTestDatabase,
  requireDatabaseUrl,
  type TestDatabase,
} from "./support/database.js";

const adminUrl = requireDatabaseUrl();
let database: TestDatabase;
let migrationsDir: string;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase(adminUrl);
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  // A private copy, so tests can add a broken migration without touching the real ones.
  migrationsDir = await mkdtemp(path.join(tmpdir(), "migrations-"));
  await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterEach(async () => {
  // Each test starts from an empty database, whatever the previous one left behind.
  await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  await client.end();
  await rm(migrationsDir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return { DATABASE_URL: database.url, MIGRATIONS_DIR: migrationsDir };
}

async function migrate(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrateCli(argv, env(), {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await client.query(
    "SELECT to_regclass($1) IS NOT NULL AS found",
    [name],
  );
  return rows[0].found;
}

async function appliedVersions(): Promise<number[]> {
  const { rows } = await client.query(
    "SELECT version FROM schema_migrations ORDER BY version",
  );
  return rows.map((row) => Number(row.version));
}

describe("migrate against a real database", () => {
  it("status lists everything as pending on an empty database, without creating anything", async () => {
    const { code, out } = await migrate("status");
    expect(code).toBe(0);
    expect(out).toEqual([
      "pending      001_create_notes",
      "pending      002_index_notes_created_at",
    ]);
    expect(await tableExists("schema_migrations")).toBe(false);
  });

  it("up (the default command) applies all, records checksums, and skips them next time", async () => {
    const first = await migrate();
    expect(first.code).toBe(0);
    expect(first.out).toEqual([
      expect.stringMatching(/^applied 001_create_notes\.up\.sql \(\d+ ms\)$/),
      expect.stringMatching(
        /^applied 002_index_notes_created_at\.up\.sql \(\d+ ms\)$/,
      ),
      "2 migration(s) applied",
    ]);
    expect(await tableExists("notes")).toBe(true);
    const { rows } = await client.query(
      "SELECT name, checksum FROM schema_migrations ORDER BY version",
    );
    const [expected] = await loadMigrations(migrationsDir);
    expect(rows[0]).toEqual({
      name: "001_create_notes",
      checksum: expected?.checksum,
    });

    const second = await migrate("up");
    expect(second.out).toEqual(["database is up to date"]);

    const status = await migrate("status");
    expect(status.out).toEqual([
      expect.stringMatching(
        /^applied {6}001_create_notes {12}\d{4}-\d\d-\d\dT/,
      ),
      expect.stringMatching(/^applied {6}002_index_notes_created_at {2}\d{4}-/),
    ]);
  });

  it("--dry-run prints the SQL it would run and changes nothing", async () => {
    const { code, out } = await migrate("up", "--dry-run");
    expect(code).toBe(0);
    expect(out[0]).toBe("[dry-run] would apply 001_create_notes.up.sql:");
    expect(out).toContain("    CREATE TABLE notes (");
    expect(out.at(-1)).toBe(
      "[dry-run] 2 migration(s) pending; nothing was changed",
    );
    expect(await tableExists("schema_migrations")).toBe(false);
    expect(await tableExists("notes")).toBe(false);

    await migrate("up");
    const down = await migrate("down", "--dry-run");
    expect(down.out[0]).toBe(
      "[dry-run] would revert 002_index_notes_created_at.down.sql:",
    );
    expect(down.out.at(-1)).toBe(
      "[dry-run] 1 migration(s) would be reverted; nothing was changed",
    );
    expect(await appliedVersions()).toEqual([1, 2]);
  });

  it("down reverts the newest migration by default, and --steps N reverts N", async () => {
    await migrate("up");

    const one = await migrate("down");
    expect(one.out).toEqual([
      "reverted 002_index_notes_created_at.down.sql",
      "1 migration(s) reverted",
    ]);
    expect(await appliedVersions()).toEqual([1]);

    await migrate("up");
    const both = await migrate("down", "--steps", "5");
    expect(both.out.at(-1)).toBe("2 migration(s) reverted");
    expect(await tableExists("notes")).toBe(false);
    expect((await migrate("down")).out).toEqual(["nothing to revert"]);
  });

  it("a failing migration rolls back its own transaction and exits non-zero naming the file", async () => {
    await writeFile(
      path.join(migrationsDir, "003_broken.up.sql"),
      "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);\n",
    );
    const { code, out, err } = await migrate("up");

    expect(code).toBe(1);
    expect(err).toEqual([
      'migrate: up failed: 003_broken.up.sql: relation "no_such_table" does not exist',
    ]);
    // Earlier migrations committed in their own transactions; the broken one left nothing.
    expect(out.slice(0, 2)).toEqual([
      expect.stringMatching(/^applied 001_create_notes/),
      expect.stringMatching(/^applied 002_index_notes_created_at/),
    ]);
    expect(await appliedVersions()).toEqual([1, 2]);
    expect(await tableExists("half_done")).toBe(false);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    await migrate("up");
    await writeFile(
      path.join(migrationsDir, "001_create_notes.up.sql"),
      "CREATE TABLE notes ();",
    );

    expect((await migrate("status")).out[0]).toMatch(
      /^changed {6}001_create_notes /,
    );
    const { code, err } = await migrate("up");
    expect(code).toBe(1);
    expect(err[0]).toMatch(
      /001_create_notes\.up\.sql: checksum differs from the applied version/,
    );
  });

  it("reports applied migrations whose files are missing, and will not revert them", async () => {
    await migrate("up");
    await rm(path.join(migrationsDir, "002_index_notes_created_at.up.sql"));
    await rm(path.join(migrationsDir, "002_index_notes_created_at.down.sql"));

    expect((await migrate("status")).out[1]).toMatch(
      /^file missing 002_index_notes_created_at /,
    );
    const { code, err } = await migrate("down");
    expect(code).toBe(1);
    expect(err[0]).toBe(
      "migrate: down failed: 002_index_notes_created_at: is applied but its files are missing",
    );
  });

  it("gives up with a clear error while another run holds the migration lock", async () => {
    const lockHolder = new pg.Client({ connectionString: database.url });
    await lockHolder.connect();
    try {
      await lockHolder.query("SELECT pg_advisory_lock(7238463571)");
      const attempt = migrateUp(client, await loadMigrations(migrationsDir), {
        dryRun: false,
        log: () => {},
        lockTimeoutMs: 200,
      });
      await expect(attempt).rejects.toThrow(
        "another migration run holds the migration lock; gave up after 200 ms",
      );
      expect(await tableExists("schema_migrations")).toBe(false);
    } finally {
      await lockHolder.end();
    }
  });

  it("two deploys migrating at once apply each migration exactly once", async () => {
    const [first, second] = await Promise.all([migrate("up"), migrate("up")]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const applied = [...first.out, ...second.out].filter((line) =>
      line.startsWith("applied "),
    );
    expect(applied).toHaveLength(2);
    expect([first.out.at(-1), second.out.at(-1)]).toContain(
      "database is up to date",
    );
    expect(await appliedVersions()).toEqual([1, 2]);
  });
});
