import { z } from "zod";

/** The version of the backup format; a restore refuses any other. */
export const BACKUP_FORMAT = "gantry-backup/1";
/** Names inside a backup tar: the manifest, and the pg_dump archive (custom format), `.age` when encrypted. */
export const MANIFEST_FILE = "manifest.json";
export const DUMP_FILE = "dump.pgcustom";
export const ENCRYPTED_DUMP_FILE = `${DUMP_FILE}.age`;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 hex digits");

/** What a backup says about itself; kept beside it on the target and inside its tar. */
export const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** When the dump started (ISO 8601, UTC). */
    createdAt: z.iso.datetime(),
    environment: z.string().min(1),
    instance: z.string().min(1),
    /** The version live on the target when the backup was taken; null before the first deploy. */
    appVersion: z.string().nullable(),
    /** Set when a deploy took it before running migrations: the version being deployed. */
    beforeDeploy: z.string().optional(),
    server: z
      .object({ version: z.string().min(1), major: z.number().int() })
      .strict(),
    /** pg_dump's image, chosen for the server's major version. */
    clientImage: z.string().min(1),
    /** Rows per table (schema.table as pg_dump names it), counted from the dump's own data. */
    tables: z.record(z.string(), z.number().int().min(0)),
    sentinel: z.object({ table: z.string(), id: z.string() }).strict(),
    payload: z
      .object({
        file: z.enum([DUMP_FILE, ENCRYPTED_DUMP_FILE]),
        sha256,
        bytes: z.number().int().min(0),
        /** age recipients it is encrypted to; empty: cleartext. */
        recipients: z.array(z.string()),
      })
      .strict(),
    durationMs: z.number().int().min(0),
  })
  .strict();

export type BackupManifest = z.output<typeof manifestSchema>;

/** Parses a manifest, naming what is wrong with one that is not a Gantry backup's. */
export function parseManifest(text: string, origin: string): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${origin}: ${MANIFEST_FILE} is not JSON`);
  }
  const result = manifestSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  throw new Error(
    `${origin}: ${MANIFEST_FILE} is not a ${BACKUP_FORMAT} manifest (${problems})`,
  );
}

/** A backup's id: the instance and the UTC time to the millisecond, which sorts by age. */
export function backupId(instance: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(".", "")
    .toLowerCase();
  return `${instance}-${stamp}`;
}

/** The server's major version from `SHOW server_version_num` (150006 → 15; 90624 → 9). */
export function serverMajor(versionNum: string): number {
  const number = Number(versionNum.trim());
  if (!Number.isInteger(number) || number < 90000)
    throw new Error(
      `the database answered "${versionNum.trim()}" for server_version_num, not a PostgreSQL version number`,
    );
  return Math.floor(number / 10000);
}

/** The major version a Postgres binary reports (`postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)` → 15). */
export function binaryMajor(versionOutput: string): number {
  const match = /\(PostgreSQL\) (\d+)/.exec(versionOutput);
  if (!match)
    throw new Error(
      `could not read a PostgreSQL version from "${versionOutput.trim()}"`,
    );
  return Number(match[1]);
}

/** backup.clientImage for a server's major version. */
export function clientImageFor(template: string, major: number): string {
  return template.replaceAll("{major}", String(major));
}

/**
 * Rows per table from pg_restore's data-only SQL script of the dump: each table's COPY block has one line per row
 * (COPY's text format escapes newlines), ended by `\.`.
 */
export function countCopyRows(script: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let table: string | undefined;
  for (const line of script.split("\n")) {
    if (table === undefined) {
      const copy = /^COPY (.+?) (\(.*\) )?FROM stdin;$/.exec(line);
      if (copy) {
        table = copy[1];
        counts[table] = 0;
      }
    } else if (line === "\\.") table = undefined;
    else counts[table] += 1;
  }
  return counts;
}

/** Parses `schema.table<TAB>rows` lines (psql's unaligned output of the count query). */
export function parseTableCounts(output: string): Record<string, number> {
  return Object.fromEntries(
    output
      .split("\n")
      .filter((line) => line.includes("\t"))
      .map((line) => {
        const [table, rows] = line.split("\t");
        return [table, Number(rows)];
      }),
  );
}

/**
 * SQL that prints `schema.table<TAB>rows` for every table of the database's own schemas, names quoted as pg_dump
 * quotes them; the counts run inside the query (query_to_xml), so one statement covers any set of tables.
 */
export const COUNT_ROWS_SQL = `SELECT format('%I.%I', n.nspname, c.relname) AS name,
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text AS rows
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1`;
