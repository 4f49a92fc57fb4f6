import type { BackupManifest } from "./manifest.js";

/**
 * The backup taken just before `version` was deployed (its manifest's beforeDeploy), no later than that deploy went
 * live: what `rollback --restore-database` brings the database back to. Undefined when that deploy took none.
 */
export function preDeployBackup(
  manifests: BackupManifest[],
  version: string,
  deployedAt: string,
): BackupManifest | undefined {
  return manifests
    .filter(
      (manifest) =>
        manifest.beforeDeploy === version && manifest.createdAt <= deployedAt,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
}

/** The backup `id` names, or the newest one when `id` is undefined; a clear error when there is none. */
export function chooseBackup(
  manifests: BackupManifest[],
  id: string | undefined,
  where: string,
): BackupManifest {
  const sorted = [...manifests].sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );
  const chosen = id
    ? sorted.find((manifest) => manifest.id === id)
    : sorted.at(-1);
  if (chosen) return chosen;
  throw new Error(
    id
      ? `--backup-id: no backup ${id} in ${where}; it has ${sorted.map((manifest) => manifest.id).join(", ") || "none"}`
      : `no backup in ${where}: run backup first`,
  );
}

/**
 * What restoring `restored` over the database as `current` (a backup taken just before) discards: the time between
 * them and, per table, the rows now and in the backup. Counts only: rows changed in place are not counted.
 */
export function describeDiscarded(
  restored: BackupManifest,
  current: BackupManifest,
): string[] {
  const hours =
    (Date.parse(current.createdAt) - Date.parse(restored.createdAt)) /
    3_600_000;
  const age =
    hours < 1 ? `${Math.round(hours * 60)} min` : `${hours.toFixed(1)} h`;
  const tables = [
    ...new Set([
      ...Object.keys(current.tables),
      ...Object.keys(restored.tables),
    ]),
  ]
    .filter((table) => table !== `public.${current.sentinel.table}`)
    .sort();
  const changes = tables
    .map((table) => ({
      table,
      now: current.tables[table] ?? 0,
      then: restored.tables[table] ?? 0,
    }))
    .filter(({ now, then }) => now !== then)
    .map(
      ({ table, now, then }) =>
        `${table}: ${now} rows now, ${then} in the backup (${now > then ? `${now - then} newer rows discarded` : `${then - now} rows come back`})${table in restored.tables ? "" : ", table not in the backup: dropped"}`,
    );
  return [
    `discards ${age} of changes: the backup is from ${restored.createdAt}, the database as of ${current.createdAt} is kept in backup ${current.id}`,
    ...(changes.length
      ? changes
      : [
          "row counts per table are the same (rows changed in place since are still lost)",
        ]),
  ];
}
