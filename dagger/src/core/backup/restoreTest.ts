import { maximumGate, type GateVerdict } from "../gates.js";
import { parseManifest, type BackupManifest } from "./manifest.js";
import type { StoredBackup } from "./retention.js";

/** Fails, naming both, when the payload's sha256 is not the one its manifest recorded. */
export function checksumGate(
  manifest: BackupManifest,
  actual: string,
): GateVerdict {
  const ok = actual === manifest.payload.sha256;
  return {
    name: "backup checksum",
    status: ok ? "pass" : "fail",
    figure: `sha256 ${actual.slice(0, 12)}…`,
    threshold: "= manifest",
    details: ok
      ? []
      : [
          `${manifest.payload.file} of ${manifest.id} has sha256 ${actual}, its manifest recorded ${manifest.payload.sha256}: the backup is corrupted or was altered; nothing was restored`,
        ],
  };
}

/** pg_restore cannot read an archive from a newer server major than its own: refuse before restoring. */
export function versionGate(
  manifest: BackupManifest,
  restoreMajor: number,
  restoreImage: string,
): GateVerdict {
  const ok = manifest.server.major <= restoreMajor;
  return {
    name: "postgres version",
    status: ok ? "pass" : "fail",
    figure: `dumped from ${manifest.server.version}`,
    threshold: `major <= ${restoreMajor}`,
    details: ok
      ? []
      : [
          `${manifest.id} was dumped from PostgreSQL ${manifest.server.version}, newer than the restore image ${restoreImage} (PostgreSQL ${restoreMajor}): set images.postgres to a PostgreSQL ${manifest.server.major} image; nothing was restored`,
        ],
  };
}

/** Every table's rows after the restore equal the manifest's, and no table is missing or extra. */
export function rowCountGate(
  expected: Record<string, number>,
  actual: Record<string, number>,
): GateVerdict {
  const tables = [
    ...new Set([...Object.keys(expected), ...Object.keys(actual)]),
  ].sort();
  const differences = tables
    .filter((table) => expected[table] !== actual[table])
    .map(
      (table) =>
        `${table}: manifest ${expected[table] ?? "no table"}, restored ${actual[table] ?? "no table"}`,
    );
  const total = Object.values(actual).reduce((sum, rows) => sum + rows, 0);
  return {
    name: "row counts",
    status: differences.length ? "fail" : "pass",
    figure: `${total} rows in ${Object.keys(actual).length} tables`,
    threshold: "= manifest",
    details: differences,
  };
}

/** The row the backup wrote just before its dump is in the restored database. */
export function sentinelGate(
  manifest: BackupManifest,
  found: boolean,
): GateVerdict {
  const { table, id } = manifest.sentinel;
  return {
    name: "sentinel row",
    status: found ? "pass" : "fail",
    figure: found ? "present" : "missing",
    threshold: "present",
    details: found
      ? []
      : [
          `${table} has no row "${id}" after the restore: the dump does not hold what the database held when the backup was taken`,
        ],
  };
}

/** The age of the newest backup that passed a restore test, against backup.maxRestoreTestedAgeHours. */
export function freshnessGate(
  newest: StoredBackup | undefined,
  maxHours: number,
  now: Date,
): GateVerdict {
  const name = "newest restore-tested backup age";
  if (!newest)
    return {
      name,
      status: "fail",
      figure: "none",
      threshold: `<= ${maxHours} h`,
      details: ["no backup has passed a restore test"],
    };
  const hours = (now.getTime() - Date.parse(newest.createdAt)) / 3_600_000;
  const gate = maximumGate(name, hours, maxHours, " h");
  return {
    ...gate,
    details: gate.details.map(
      (detail) =>
        `${detail} (${newest.id}; backup.maxRestoreTestedAgeHours): take and restore-test a newer backup`,
    ),
  };
}

/**
 * The backups a target's volume listing names: `M <manifest JSON>` for each backup and `T <id> <time>` for each
 * passed restore test. Marks of a backup that is gone are ignored.
 */
export function parseListing(listing: string): {
  manifests: BackupManifest[];
  stored: StoredBackup[];
} {
  const manifests: BackupManifest[] = [];
  const tested = new Map<string, string>();
  for (const line of listing.split("\n")) {
    if (line.startsWith("M "))
      manifests.push(parseManifest(line.slice(2), "the target's backups"));
    else if (line.startsWith("T ")) {
      const [, id, time] = line.split(" ");
      tested.set(id, time);
    }
  }
  return {
    manifests,
    stored: manifests.map(({ id, createdAt }) => ({
      id,
      createdAt,
      ...(tested.has(id) ? { restoreTestedAt: tested.get(id) } : {}),
    })),
  };
}
