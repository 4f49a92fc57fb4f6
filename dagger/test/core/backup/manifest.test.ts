import { describe, expect, it } from "vitest";
import {
  backupId,
  binaryMajor,
  BACKUP_FORMAT,
  clientImageFor,
  parseManifest,
  parseTableCounts,
  serverMajor,
  type BackupManifest,
} from "../../../src/core/backup/manifest.js";
import {
  checksumGate,
  freshnessGate,
  parseListing,
  rowCountGate,
  sentinelGate,
  versionGate,
} from "../../../src/core/backup/restoreTest.js";

const SHA = "a".repeat(64);
const manifest: BackupManifest = {
  format: BACKUP_FORMAT,
  id: "staging-20260101t020000000z",
  createdAt: "2026-01-01T02:00:00.000Z",
  environment: "staging",
  instance: "staging",
  appVersion: "1.2.0",
  server: { version: "15.14 (Debian 15.14-0+deb12u1)", major: 15 },
  clientImage: "postgres:15-bookworm",
  tables: { "public.notes": 3, "public.gantry_backup_sentinel": 1 },
  sentinel: {
    table: "gantry_backup_sentinel",
    id: "staging-20260101t020000000z",
  },
  payload: { file: "dump.pgcustom", sha256: SHA, bytes: 10, recipients: [] },
  durationMs: 100,
};

describe("backup manifest", () => {
  it("round-trips and names what is wrong with a manifest that is not one", () => {
    expect(parseManifest(JSON.stringify(manifest), "b")).toEqual(manifest);
    expect(() =>
      parseManifest(
        JSON.stringify({
          ...manifest,
          payload: { ...manifest.payload, sha256: "x" },
        }),
        "b",
      ),
    ).toThrow(/payload\.sha256: expected 64 hex digits/);
    expect(() => parseManifest("{", "b")).toThrow(
      "b: manifest.json is not JSON",
    );
  });

  it("derives ids, majors and client images", () => {
    expect(
      backupId("preview--pr-1", new Date("2026-03-04T05:06:07.089Z")),
    ).toBe("preview--pr-1-20260304t050607089z");
    expect(serverMajor("150006\n")).toBe(15);
    expect(serverMajor("90624")).toBe(9);
    expect(() => serverMajor("oops")).toThrow(
      /not a PostgreSQL version number/,
    );
    expect(
      binaryMajor("postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)\n"),
    ).toBe(15);
    expect(clientImageFor("mirror/postgres:{major}-bookworm", 16)).toBe(
      "mirror/postgres:16-bookworm",
    );
    expect(parseTableCounts('public.notes\t3\npublic."Odd"\t0\n')).toEqual({
      "public.notes": 3,
      'public."Odd"': 0,
    });
  });
});

describe("restore-test gates", () => {
  it("fails the checksum gate naming both sums", () => {
    expect(checksumGate(manifest, SHA).status).toBe("pass");
    const failed = checksumGate(manifest, "b".repeat(64));
    expect(failed.status).toBe("fail");
    expect(failed.details[0]).toContain("corrupted or was altered");
  });

  it("refuses a dump from a newer major than the restore image", () => {
    expect(versionGate(manifest, 15, "postgres:15").status).toBe("pass");
    const newer = versionGate(
      { ...manifest, server: { version: "16.4", major: 16 } },
      15,
      "postgres:15-bookworm",
    );
    expect(newer.status).toBe("fail");
    expect(newer.details[0]).toMatch(
      /PostgreSQL 16\.4, newer than the restore image postgres:15-bookworm/,
    );
  });

  it("compares row counts exactly, both ways", () => {
    expect(rowCountGate(manifest.tables, { ...manifest.tables }).status).toBe(
      "pass",
    );
    const gate = rowCountGate(manifest.tables, {
      "public.notes": 2,
      "public.extra": 0,
    });
    expect(gate.status).toBe("fail");
    expect(gate.details).toEqual([
      "public.extra: manifest no table, restored 0",
      "public.gantry_backup_sentinel: manifest 1, restored no table",
      "public.notes: manifest 3, restored 2",
    ]);
    expect(sentinelGate(manifest, false).status).toBe("fail");
  });

  it("judges the age of the newest restore-tested backup", () => {
    const now = new Date("2026-01-09T02:00:00.000Z");
    const tested = {
      id: "x",
      createdAt: manifest.createdAt,
      restoreTestedAt: manifest.createdAt,
    };
    expect(freshnessGate(tested, 192, now).status).toBe("pass");
    expect(freshnessGate(tested, 191, now).status).toBe("fail");
    expect(freshnessGate(undefined, 192, now).details).toEqual([
      "no backup has passed a restore test",
    ]);
  });

  it("reads the target's listing", () => {
    const listing = `M ${JSON.stringify(manifest)}\nT ${manifest.id} 2026-01-02T00:00:00.000Z\nT gone 2026-01-02T00:00:00.000Z\n`;
    expect(parseListing(listing).stored).toEqual([
      {
        id: manifest.id,
        createdAt: manifest.createdAt,
        restoreTestedAt: "2026-01-02T00:00:00.000Z",
      },
    ]);
  });
});
