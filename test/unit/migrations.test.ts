import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR } from "../../src/migrate.js";
import {
  checksum,
  loadMigrations,
  MigrationError,
} from "../../src/migrations.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(contents: Record<string, string>) {
  for (const [name, sql] of Object.entries(contents)) {
    await writeFile(path.join(dir, name), sql);
  }
}

describe("loadMigrations", () => {
  it("pairs up/down files and orders them by numeric version, not by name", async () => {
    await files({
      "10_add_tags.up.sql": "ALTER TABLE notes ADD tags text[];",
      "10_add_tags.down.sql": "ALTER TABLE notes DROP tags;",
      "2_create_notes.up.sql": "CREATE TABLE notes ();",
      "README.txt": "not a migration",
    });
    const migrations = await loadMigrations(dir);
    expect(migrations.map((migration) => migration.name)).toEqual([
      "2_create_notes",
      "10_add_tags",
    ]);
    expect(migrations[1]).toMatchObject({
      version: 10,
      upFile: "10_add_tags.up.sql",
      downFile: "10_add_tags.down.sql",
      downSql: "ALTER TABLE notes DROP tags;",
    });
    expect(migrations[0]?.downFile).toBeUndefined();
  });

  it("checksums the up file with sha256", async () => {
    await files({ "001_a.up.sql": "SELECT 1;" });
    const [migration] = await loadMigrations(dir);
    expect(migration?.checksum).toBe(
      "17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a",
    );
    expect(checksum("SELECT 1;")).not.toBe(checksum("SELECT 2;"));
  });

  it.each([
    [
      "a badly named file",
      { "create_notes.sql": "" },
      /create_notes\.sql: file name must look like/,
    ],
    [
      "two names for one version",
      { "001_a.up.sql": "", "001_b.up.sql": "" },
      /001_b\.up\.sql: version 1 is also used by 001_a/,
    ],
    [
      "a down file without an up file",
      { "003_c.down.sql": "" },
      /003_c\.down\.sql: has no matching/,
    ],
  ])("rejects %s", async (_case, contents, message) => {
    await files(contents);
    const attempt = loadMigrations(dir);
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("finds the shipped migrations through the default directory", async () => {
    const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(migrations[0]?.name).toBe("001_create_notes");
    expect(
      migrations.every((migration) => migration.downSql !== undefined),
    ).toBe(true);
  });
});
