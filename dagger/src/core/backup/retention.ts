import type { GantryConfig } from "../config.js";

export type RetentionPolicy = GantryConfig["backup"]["retention"];

/** A backup on the target, as retention and the restore test see it. */
export interface StoredBackup {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  /** When it last passed a restore test (ISO 8601); absent when it never did. */
  restoreTestedAt?: string;
}

/** Why each kept backup is kept, and which expire. */
export interface RetentionDecision {
  keep: Map<string, string[]>;
  expire: string[];
}

const DAY_MS = 86_400_000;

/**
 * restic's `forget` model: a backup is kept when any rule keeps it — among the newest `keepLast`, younger than
 * `keepDays`, or the newest of one of the `daily`/`weekly`/`monthly` most recent UTC days, ISO weeks or months that
 * have a backup. The newest backup and the newest one that passed a restore test are always kept, so retention can
 * never leave the target without a proven backup. Written by hand: no maintained library implements this for JS.
 */
export function applyRetention(
  backups: StoredBackup[],
  policy: RetentionPolicy,
  now: Date,
): RetentionDecision {
  const newestFirst = [...backups].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
  const keep = new Map<string, string[]>();
  const because = (backup: StoredBackup, reason: string) =>
    keep.set(backup.id, [...(keep.get(backup.id) ?? []), reason]);

  newestFirst
    .slice(0, policy.keepLast)
    .forEach((backup) => because(backup, `last ${policy.keepLast}`));
  for (const backup of newestFirst)
    if (now.getTime() - Date.parse(backup.createdAt) < policy.keepDays * DAY_MS)
      because(backup, `within ${policy.keepDays} days`);
  const tiers: [string, number, (at: Date) => string][] = [
    ["daily", policy.daily, (at) => at.toISOString().slice(0, 10)],
    ["weekly", policy.weekly, isoWeek],
    ["monthly", policy.monthly, (at) => at.toISOString().slice(0, 7)],
  ];
  for (const [tier, count, bucketOf] of tiers) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      if (seen.size >= count) break;
      const bucket = bucketOf(new Date(backup.createdAt));
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      because(backup, `${tier} ${bucket}`);
    }
  }
  if (newestFirst[0]) because(newestFirst[0], "newest");
  const proven = newestRestoreTested(newestFirst);
  if (proven) because(proven, "newest restore-tested");
  return {
    keep,
    expire: newestFirst
      .filter((backup) => !keep.has(backup.id))
      .map((backup) => backup.id),
  };
}

/** The newest backup that passed a restore test. */
export function newestRestoreTested(
  backups: StoredBackup[],
): StoredBackup | undefined {
  return backups
    .filter((backup) => backup.restoreTestedAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** The newest backup, for "the latest on the target". */
export function newestBackup(
  backups: StoredBackup[],
): StoredBackup | undefined {
  return [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** ISO 8601 week of a UTC date, e.g. 2026-W05 (weeks start on Monday; week 1 holds the year's first Thursday). */
function isoWeek(at: Date): string {
  const day = new Date(
    Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()),
  );
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
