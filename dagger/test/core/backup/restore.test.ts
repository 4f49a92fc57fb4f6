import { describe, expect, it } from "vitest";
import {
  BACKUP_FORMAT,
  parseManifest,
  type BackupManifest,
} from "../../../src/core/backup/manifest.js";
import {
  chooseBackup,
  describeDiscarded,
  preDeployBackup,
} from "../../../src/core/backup/restore.js";

function backup(
  createdAt: string,
  extra: Partial<BackupManifest> = {},
): BackupManifest {
  const id = `staging-${createdAt.replace(/[-:.]/g, "").toLowerCase()}`;
  return {
    format: BACKUP_FORMAT,
    id,
    createdAt,
    environment: "staging",
    instance: "staging",
    appVersion: "1.0.0",
    server: { version: "15.14", major: 15 },
    clientImage: "postgres:15-bookworm",
    tables: { "public.notes": 3, "public.gantry_backup_sentinel": 1 },
    sentinel: { table: "gantry_backup_sentinel", id },
    payload: {
      file: "dump.pgcustom",
      sha256: "a".repeat(64),
      bytes: 10,
      recipients: [],
    },
    durationMs: 100,
    ...extra,
  };
}

describe("pre-deploy backup", () => {
  const daily = backup("2026-01-01T02:00:00.000Z");
  const before11 = backup("2026-01-02T10:00:00.000Z", {
    beforeDeploy: "1.1.0",
  });
  const retried11 = backup("2026-01-02T10:05:00.000Z", {
    beforeDeploy: "1.1.0",
  });
  const before12 = backup("2026-01-03T10:00:00.000Z", {
    beforeDeploy: "1.2.0",
  });
  const all = [before12, daily, retried11, before11];

  it("is the newest backup the live version's deploy took before it went live", () => {
    expect(preDeployBackup(all, "1.1.0", "2026-01-02T10:06:00.000Z")?.id).toBe(
      retried11.id,
    );
    expect(preDeployBackup(all, "1.1.0", "2026-01-02T10:01:00.000Z")?.id).toBe(
      before11.id,
    );
  });

  it("is none when that deploy took none (a scheduled backup never counts)", () => {
    expect(
      preDeployBackup(all, "1.0.0", "2026-01-04T00:00:00.000Z"),
    ).toBeUndefined();
    expect(
      preDeployBackup([daily], "1.1.0", "2026-01-04T00:00:00.000Z"),
    ).toBeUndefined();
  });

  it("manifests without beforeDeploy (older backups) still parse; a wrong type is named", () => {
    const { beforeDeploy: _, ...plain } = before11;
    expect(parseManifest(JSON.stringify(plain), "x").beforeDeploy).toBe(
      undefined,
    );
    expect(() =>
      parseManifest(JSON.stringify({ ...before11, beforeDeploy: 1 }), "x"),
    ).toThrow(/beforeDeploy/);
  });
});

describe("choosing a backup to restore", () => {
  const old = backup("2026-01-01T02:00:00.000Z");
  const newest = backup("2026-01-03T02:00:00.000Z");
  it("takes the id given, else the newest", () => {
    expect(chooseBackup([newest, old], old.id, "v").id).toBe(old.id);
    expect(chooseBackup([old, newest], undefined, "v").id).toBe(newest.id);
  });
  it("names the missing id and what there is, or says there is none", () => {
    expect(() => chooseBackup([old], "staging-nope", "volume v")).toThrow(
      `--backup-id: no backup staging-nope in volume v; it has ${old.id}`,
    );
    expect(() => chooseBackup([], undefined, "volume v")).toThrow(
      "no backup in volume v: run backup first",
    );
  });
});

describe("what a restore discards", () => {
  it("gives the time between the backups and the rows per table now and then, not the sentinel", () => {
    const then = backup("2026-01-02T10:00:00.000Z");
    const now = backup("2026-01-02T12:30:00.000Z", {
      tables: {
        "public.notes": 5,
        "public.tags": 2,
        "public.gantry_backup_sentinel": 4,
      },
    });
    expect(describeDiscarded(then, now)).toEqual([
      `discards 2.5 h of changes: the backup is from 2026-01-02T10:00:00.000Z, the database as of 2026-01-02T12:30:00.000Z is kept in backup ${now.id}`,
      "public.notes: 5 rows now, 3 in the backup (2 newer rows discarded)",
      "public.tags: 2 rows now, 0 in the backup (2 newer rows discarded), table not in the backup: dropped",
    ]);
  });
  it("says when the counts match, and that in-place changes are still lost", () => {
    const then = backup("2026-01-02T10:00:00.000Z");
    const now = backup("2026-01-02T10:20:00.000Z");
    expect(describeDiscarded(then, now)).toEqual([
      expect.stringMatching(/^discards 20 min of changes/),
      "row counts per table are the same (rows changed in place since are still lost)",
    ]);
  });
});

// Hand-written manifests (the `backup` helper above): each case sits on one side of a comparison of restore.ts.
describe("restore choices at their boundaries", () => {
  it("counts a pre-deploy backup taken in the same millisecond the deploy went live", () => {
    const taken = backup("2026-01-02T10:00:00.000Z", { beforeDeploy: "1.1.0" });
    expect(
      preDeployBackup([taken], "1.1.0", "2026-01-02T10:00:00.000Z")?.id,
    ).toBe(taken.id);
    expect(
      preDeployBackup([taken], "1.1.0", "2026-01-02T09:59:59.999Z"),
    ).toBeUndefined();
  });

  const first = backup("2026-01-01T02:00:00.000Z");
  const second = backup("2026-01-02T02:00:00.000Z");
  const third = backup("2026-01-03T02:00:00.000Z");

  it("takes the newest of three given in any order", () => {
    expect(chooseBackup([third, first, second], undefined, "v").id).toBe(
      third.id,
    );
    expect(chooseBackup([second, third, first], undefined, "v").id).toBe(
      third.id,
    );
  });

  it("lists what there is oldest first when the id is missing, or says none", () => {
    expect(() => chooseBackup([third, first, second], "nope", "v")).toThrow(
      `--backup-id: no backup nope in v; it has ${first.id}, ${second.id}, ${third.id}`,
    );
    expect(() => chooseBackup([], "nope", "volume v")).toThrow(
      "--backup-id: no backup nope in volume v; it has none",
    );
  });
});

describe("what a restore discards, at its boundaries", () => {
  const then = backup("2026-01-02T10:00:00.000Z", {
    tables: {
      "public.zebra": 9,
      "public.apple": 4,
      "public.same": 7,
      "public.gantry_backup_sentinel": 1,
    },
  });

  it("gives exactly one hour in hours, and rows that come back when the backup has more, tables sorted", () => {
    const now = backup("2026-01-02T11:00:00.000Z", {
      tables: {
        "public.zebra": 2,
        "public.same": 7,
        "public.apple": 5,
        "public.gantry_backup_sentinel": 3,
      },
    });
    expect(describeDiscarded(then, now)).toEqual([
      `discards 1.0 h of changes: the backup is from 2026-01-02T10:00:00.000Z, the database as of 2026-01-02T11:00:00.000Z is kept in backup ${now.id}`,
      "public.apple: 5 rows now, 4 in the backup (1 newer rows discarded)",
      "public.zebra: 2 rows now, 9 in the backup (7 rows come back)",
    ]);
  });

  it("gives minutes just under an hour, and names a table the backup has and the database lost", () => {
    const now = backup("2026-01-02T10:59:00.000Z", {
      tables: { "public.apple": 4, "public.same": 7 },
    });
    expect(describeDiscarded(then, now)).toEqual([
      expect.stringMatching(/^discards 59 min of changes: /),
      "public.zebra: 0 rows now, 9 in the backup (9 rows come back)",
    ]);
  });
});
