import { describe, expect, it } from "vitest";
import {
  backupId,
  binaryMajor,
  BACKUP_FORMAT,
  clientImageFor,
  countCopyRows,
  ENCRYPTED_DUMP_FILE,
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

describe("backup manifest, edges", () => {
  it("names the format and file names a restore looks for", () => {
    expect([BACKUP_FORMAT, ENCRYPTED_DUMP_FILE]).toEqual([
      "gantry-backup/1",
      "dump.pgcustom.age",
    ]);
  });

  it("accepts only whole hex checksums and lowercase ids, listing every problem", () => {
    const parse = (changes: Record<string, unknown>) => () =>
      parseManifest(JSON.stringify({ ...manifest, ...changes }), "b");
    for (const sha256 of [`x${SHA}`, `${SHA}0`])
      expect(parse({ payload: { ...manifest.payload, sha256 } })).toThrow(
        /payload\.sha256: expected 64 hex digits/,
      );
    for (const id of ["Staging-1", "staging-1!", " staging"])
      expect(parse({ id })).toThrow(/\(id: /);
    expect(() => parseManifest("[]", "b")).toThrow(
      /^b: manifest\.json is not a gantry-backup\/1 manifest \(\(root\): /,
    );
    expect(parse({ id: "X", durationMs: -1 })).toThrow(
      /\(id: [^;]+; durationMs: [^;]+\)$/,
    );
  });

  it("takes server_version_num 90000 (9.0) as the oldest, and quotes a bad answer trimmed", () => {
    expect(serverMajor(" 90000 \n")).toBe(9);
    expect(() => serverMajor("89999")).toThrow(
      'the database answered "89999" for server_version_num, not a PostgreSQL version number',
    );
    expect(() => serverMajor(" 15.4\n")).toThrow('answered "15.4" for');
    expect(() => binaryMajor("  psql 15\n")).toThrow(
      'could not read a PostgreSQL version from "psql 15"',
    );
  });

  // Hand-written, in the form of pg_restore's data-only SQL script (`pg_restore --data-only -f -`).
  it("counts the rows of each COPY block of a data-only script", () => {
    const script = [
      "SET statement_timeout = 0;",
      "COPY public.notes (id, body) FROM stdin;",
      "1\tfirst",
      "2\tsecond\\nwith an escaped newline",
      "\\.",
      "",
      'COPY public."Empty" FROM stdin;',
      "\\.",
      "COPY public.gantry_backup_sentinel (id, taken_at) FROM stdin;",
      "staging-1\t2026-01-01",
      "\\.",
      "-- COPY public.comment FROM stdin;",
    ].join("\n");
    expect(countCopyRows(script)).toEqual({
      "public.notes": 2,
      'public."Empty"': 0,
      "public.gantry_backup_sentinel": 1,
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

describe("restore-test gates, every field", () => {
  const OTHER = "b".repeat(64);

  it("checksum: passes on the recorded sum, shows the start of the actual one", () => {
    expect(checksumGate(manifest, SHA)).toEqual({
      name: "backup checksum",
      status: "pass",
      figure: "sha256 aaaaaaaaaaaa…",
      threshold: "= manifest",
      details: [],
    });
    expect(checksumGate(manifest, OTHER).figure).toBe("sha256 bbbbbbbbbbbb…");
  });

  it("postgres version: passes a dump of the restore image's major and names both", () => {
    expect(versionGate(manifest, 15, "postgres:15-bookworm")).toEqual({
      name: "postgres version",
      status: "pass",
      figure: "dumped from 15.14 (Debian 15.14-0+deb12u1)",
      threshold: "major <= 15",
      details: [],
    });
  });

  it("row counts: totals the restored rows and tables", () => {
    expect(rowCountGate(manifest.tables, { ...manifest.tables })).toEqual({
      name: "row counts",
      status: "pass",
      figure: "4 rows in 2 tables",
      threshold: "= manifest",
      details: [],
    });
  });

  it("sentinel row: present or missing, naming the table and row", () => {
    expect(sentinelGate(manifest, true)).toEqual({
      name: "sentinel row",
      status: "pass",
      figure: "present",
      threshold: "present",
      details: [],
    });
    expect(sentinelGate(manifest, false)).toEqual({
      name: "sentinel row",
      status: "fail",
      figure: "missing",
      threshold: "present",
      details: [
        'gantry_backup_sentinel has no row "staging-20260101t020000000z" after the restore: the dump does not hold what the database held when the backup was taken',
      ],
    });
  });

  it("freshness: the age in hours, at the limit and past it, and none at all", () => {
    const now = new Date("2026-01-09T02:00:00.000Z");
    const tested = { id: "x", createdAt: manifest.createdAt };
    expect(freshnessGate(tested, 192, now)).toEqual({
      name: "newest restore-tested backup age",
      status: "pass",
      figure: "192 h",
      threshold: "<= 192 h",
      details: [],
    });
    expect(freshnessGate(tested, 191.5, now).details).toEqual([
      "newest restore-tested backup age is 192 h, above the allowed 191.5 h (x; backup.maxRestoreTestedAgeHours): take and restore-test a newer backup",
    ]);
    expect(freshnessGate(undefined, 192, now)).toEqual({
      name: "newest restore-tested backup age",
      status: "fail",
      figure: "none",
      threshold: "<= 192 h",
      details: ["no backup has passed a restore test"],
    });
  });

  it("listing: reads only M and T lines, naming a bad manifest's origin", () => {
    const listing = `M ${JSON.stringify(manifest)}\nX ${manifest.id} 2026-01-03T00:00:00.000Z\n\n`;
    expect(parseListing(listing).stored).toEqual([
      { id: manifest.id, createdAt: manifest.createdAt },
    ]);
    expect(() => parseListing("M {}\n")).toThrow(
      /^the target's backups: manifest\.json is not a gantry-backup\/1 manifest/,
    );
  });
});
