import { dag, type Directory, type File } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Gantry } from "../../src/index.js";
import {
  describeWithEngine,
  E2E_TIMEOUT,
  hostRepository,
  inEngine,
  rejection,
  THIS_REPOSITORY,
} from "./engine.js";
import { BackupDatabase } from "./support/backupDatabase.js";
import {
  engineFilesHolding,
  hostDocker,
  POSTGRES_FROM_TEST_REGISTRY,
  PROXY_IMAGE,
  targetOf,
} from "./support/deployFixture.js";

const gantry = new Gantry();
const ENV = "e2e-backup";
const database = new BackupDatabase(ENV);
/** The backup environment on the host's Docker. */
const on = (source: Directory) => targetOf(gantry, source, { env: ENV });
/** The backup environment with no Docker connection: restore-test of a given tar only. */
const offTarget = (source: Directory) =>
  targetOf(gantry, source, { env: ENV, dockerSocket: null });
const MIRROR = "127.0.0.1:5000";
/** age-keygen for the test's own keys (the module installs its own age from Debian's package). */
const AGE = `${MIRROR}/filosottile/age:v1.2.1`;
/** Rows in the seeded notes table: a few thousand, GANTRY_BACKUP_ROWS=300000 for the figures in the README. */
const ROWS = Number(process.env.GANTRY_BACKUP_ROWS ?? 3000);
const { password } = database;
const work = mkdtempSync(join(tmpdir(), "gantry-backup-e2e-"));

function log(label: string, started: number, extra = "") {
  console.log(
    `[backup e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s${extra}`,
  );
}

/** This repository with the e2e-backup environment on the database's network, images from the test registry. */
function repository(backup: Record<string, unknown> = {}) {
  const config = JSON.parse(
    readFileSync(`${THIS_REPOSITORY}/gantry.config.json`, "utf8"),
  ) as Record<string, unknown>;
  return hostRepository(THIS_REPOSITORY).withNewFile(
    "gantry.config.json",
    JSON.stringify({
      ...config,
      // images.age left unset: age comes from Debian's package on images.debian, as it does for users by default.
      images: {
        proxy: PROXY_IMAGE,
        postgres: POSTGRES_FROM_TEST_REGISTRY,
        debian: `${MIRROR}/library/debian:bookworm-slim`,
      },
      environments: {
        [ENV]: {
          port: 18491,
          smokePaths: ["/version", "/notes"],
          networks: [database.network],
        },
      },
      backup: {
        clientImage: `${MIRROR}/library/postgres:{major}-bookworm`,
        ...backup,
      },
    }),
  );
}

const psql = (sql: string) => database.psql(sql);
const volumeFiles = () => database.volumeFiles();

/** A plain backup of the seeded database, exported to this host as a tar; cases that only read one share it. */
let plainTar: string | undefined;

/** Takes a plain backup, exports it as plainTar and returns it; call inside inEngine. */
async function takePlainBackup(): Promise<File> {
  const backup = await on(repository()).backup(
    dag.setSecret("backup-e2e-url", database.url),
  );
  const tar = join(work, "plain.tar");
  await backup.export(tar);
  plainTar = tar;
  return backup;
}

/** The backup tar at `tar`, changed by `edit` in its unpacked directory, packed again as a File. */
function tampered(
  tar: string,
  name: string,
  edit: (dir: string) => void,
): File {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  execFileSync("mkdir", ["-p", dir]);
  execFileSync("tar", ["-xf", tar, "-C", dir]);
  edit(dir);
  const out = join(work, `${name}.tar`);
  execFileSync("tar", ["-cf", out, "-C", dir, ...readdirSync(dir)]);
  return dag.host().file(out);
}

function editManifest(
  dir: string,
  change: (manifest: {
    payload: { sha256: string };
    server: { version: string; major: number };
  }) => void,
) {
  const path = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8"));
  change(manifest);
  writeFileSync(path, JSON.stringify(manifest));
}

describeWithEngine(
  "database backups on a real engine and the host's Docker",
  () => {
    beforeAll(async () => {
      await database.start();
      // The service's database as its first migration left it (schema_migrations as the runner writes it), so the
      // restore test's migrations apply the second one on top of the restored data, then rows.
      const first = readFileSync(
        `${THIS_REPOSITORY}/migrations/001_create_notes.up.sql`,
        "utf8",
      );
      psql(first);
      psql(
        `CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), execution_ms integer NOT NULL);
       INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES (1, '001_create_notes', '${createHash("sha256").update(first).digest("hex")}', 0);
       INSERT INTO notes (title, body) SELECT 'note ' || n, repeat('body of note ' || n || ' ', 3) FROM generate_series(1, ${ROWS}) AS n;`,
      );
    }, E2E_TIMEOUT);
    afterAll(() => {
      database.remove();
      rmSync(work, { recursive: true, force: true });
    });

    it(
      "backs up a database with rows and proves the backup restorable; no password in reports or the engine's files",
      () =>
        inEngine(async () => {
          const since = new Date();
          let started = Date.now();
          await takePlainBackup();
          const tar = plainTar!;
          const listing = execFileSync("tar", ["-tvf", tar], {
            encoding: "utf8",
          });
          log("backup", started, `\n${listing}`);
          const manifest = JSON.parse(
            execFileSync("tar", ["-xOf", tar, "manifest.json"], {
              encoding: "utf8",
            }),
          );
          console.log(
            `[backup e2e] pg_dump, copy off the target, checksum (manifest durationMs): ${(manifest.durationMs / 1000).toFixed(1)} s, dump ${manifest.payload.bytes} bytes`,
          );
          expect(manifest.tables["public.notes"]).toBe(ROWS);
          // Every sentinel row the database holds (other cases' backups add theirs) is in the dump, this one's too.
          expect(manifest.tables["public.gantry_backup_sentinel"]).toBe(
            Number(psql("SELECT count(*) FROM gantry_backup_sentinel")),
          );
          expect(manifest.server.major).toBe(15);
          expect(manifest.payload.file).toBe("dump.pgcustom");
          expect(
            psql(
              `SELECT backup_id FROM gantry_backup_sentinel WHERE backup_id = '${manifest.id}'`,
            ),
          ).toBe(manifest.id);
          expect(volumeFiles()).toContain(`${manifest.id}.tar`);

          started = Date.now();
          const report = await on(repository()).restoreTest();
          log("restore-test of the newest backup on the target", started);
          console.log(report);
          for (const gate of [
            "backup checksum",
            "restore",
            "row counts",
            "sentinel row",
            "migrations",
            "app health and smoke",
            "newest restore-tested backup age",
          ])
            expect(report).toMatch(new RegExp(`${gate} +PASS`));
          expect(report).toContain(`${ROWS + 2} rows in 3 tables`);
          expect(volumeFiles()).toContain(`${manifest.id}.restore-test`);
          expect(report).not.toContain(password);
          expect(engineFilesHolding(since, [password])).toEqual([]);
        }),
      E2E_TIMEOUT,
    );

    it(
      "refuses flipped bytes, a wrong checksum and a dump from a newer major, and an unreachable database, leaving earlier backups untouched",
      () =>
        inEngine(async () => {
          if (!plainTar) await takePlainBackup();
          const plain = plainTar!;
          const before = volumeFiles();
          const test = (backup: File) =>
            rejection(offTarget(repository()).restoreTest(backup));

          const flipped = tampered(plain, "flipped", (dir) => {
            const dump = join(dir, "dump.pgcustom");
            const bytes = readFileSync(dump);
            for (const at of [bytes.length >> 1, (bytes.length >> 1) + 1])
              bytes[at] ^= 0xff;
            writeFileSync(dump, bytes);
          });
          const flippedReport = await test(flipped);
          expect(flippedReport).toMatch(/backup checksum +FAIL/);
          expect(flippedReport).toContain(
            "the backup is corrupted or was altered; nothing was restored",
          );
          expect(flippedReport).toMatch(/restore +SKIP/);

          const wrongSum = tampered(plain, "wrong-sum", (dir) =>
            editManifest(
              dir,
              (manifest) => (manifest.payload.sha256 = "0".repeat(64)),
            ),
          );
          expect(await test(wrongSum)).toMatch(/its manifest recorded 0{64}/);

          // PostgreSQL 16 is not in Debian bookworm, so the dump from a newer server is this real dump whose manifest
          // records the server it came from as 16.4: what a backup of a PostgreSQL 16 server carries.
          const newer = tampered(plain, "newer-major", (dir) =>
            editManifest(
              dir,
              (manifest) => (manifest.server = { version: "16.4", major: 16 }),
            ),
          );
          const newerReport = await test(newer);
          expect(newerReport).toMatch(/postgres version +FAIL/);
          expect(newerReport).toContain(
            `dumped from PostgreSQL 16.4, newer than the restore image ${POSTGRES_FROM_TEST_REGISTRY} (PostgreSQL 15)`,
          );

          const unreachable = await rejection(
            on(repository()).backup(
              dag.setSecret(
                "backup-e2e-bad-url",
                `postgres://gantry:${password}@no-such-database:5432/gantry`,
              ),
            ),
          );
          console.log(unreachable);
          expect(unreachable).toContain(
            "psql could not connect or write the sentinel row",
          );
          expect(unreachable).toContain(
            "no backup was stored, earlier backups are untouched",
          );
          expect(unreachable).not.toContain(password);
          expect(volumeFiles()).toBe(before);
        }),
      E2E_TIMEOUT,
    );

    it(
      "encrypts to age recipients, fails closed on an unusable one, and decrypts only with the right identity",
      () =>
        inEngine(async () => {
          const keygen = () =>
            hostDocker("run", "--rm", "--entrypoint", "age-keygen", AGE);
          const key = keygen();
          const other = keygen();
          const recipient = /public key: (age1\w+)/.exec(key)![1];
          const url = dag.setSecret("backup-e2e-url", database.url);
          const before = volumeFiles();
          const sentinels = psql("SELECT count(*) FROM gantry_backup_sentinel");

          // Well-formed, but not a key: age refuses it, and nothing is stored.
          const broken = `age1${"q".repeat(58)}`;
          const refused = await rejection(
            on(repository({ encryption: { recipients: [broken] } })).backup(
              url,
            ),
          );
          expect(refused).toContain("backup.encryption: age could not encrypt");
          expect(volumeFiles()).toBe(before);
          // Refused before the database was touched: not even a sentinel row.
          expect(psql("SELECT count(*) FROM gantry_backup_sentinel")).toBe(
            sentinels,
          );

          const started = Date.now();
          const encrypted = await on(
            repository({ encryption: { recipients: [recipient] } }),
          ).backup(url);
          log("encrypted backup", started);
          const tar = join(work, "encrypted.tar");
          await encrypted.export(tar);
          expect(
            execFileSync("tar", ["-tf", tar], { encoding: "utf8" }),
          ).toContain("dump.pgcustom.age");
          expect(readFileSync(tar).includes("body of note 1")).toBe(false);

          const wrong = await rejection(
            offTarget(repository()).restoreTest(
              encrypted,
              dag.setSecret("backup-e2e-wrong-key", other),
            ),
          );
          expect(wrong).toMatch(/decryption +FAIL/);
          expect(wrong).toContain("age could not decrypt");
          expect(wrong).not.toContain("AGE-SECRET-KEY");

          const report = await offTarget(repository()).restoreTest(
            encrypted,
            dag.setSecret("backup-e2e-key", key),
          );
          expect(report).toMatch(/decryption +PASS/);
          expect(report).toMatch(/row counts +PASS/);
        }),
      E2E_TIMEOUT,
    );
  },
);
