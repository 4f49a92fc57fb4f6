import { dag, type Container, type Service } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { Gantry } from "../../src/index.js";
import { SENTINEL_ROWS_KEPT } from "../../src/stages/backup/backup.js";
import {
  describeWithEngine,
  E2E_TIMEOUT,
  hostRepository,
  inEngine,
  THIS_REPOSITORY,
} from "./engine.js";
import {
  engineFilesHolding,
  hostDocker,
  PROXY_IMAGE,
  targetOf,
  POSTGRES_FROM_TEST_REGISTRY,
} from "./support/deployFixture.js";
import { BackupDatabase } from "./support/backupDatabase.js";

const gantry = new Gantry();
const ENV = "e2e-offsite";
const database = new BackupDatabase(ENV);
const MIRROR = "127.0.0.1:5000";
const AWS_CLI = `${MIRROR}/amazon/aws-cli:2.27.50`;
const MOTO = `${MIRROR}/motoserver/moto:5.2.5`;
const AGE = `${MIRROR}/filosottile/age:v1.2.1`;
const BUCKET = "gantry-offsite-e2e";
const PREFIX = `gantry/${ENV}/`;
const ROWS = 2000;
const { password } = database;
// moto takes any credentials; random ones let the test look for them in every output.
const accessKeyId = `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
const secretAccessKey = randomBytes(20).toString("base64url");
const work = mkdtempSync(join(tmpdir(), "gantry-offsite-e2e-"));

const secrets = () => ({
  url: dag.setSecret("offsite-e2e-url", database.url),
  accessKeyId: dag.setSecret("offsite-e2e-key-id", accessKeyId),
  secretAccessKey: dag.setSecret("offsite-e2e-secret-key", secretAccessKey),
});

/** This repository with the e2e-offsite environment on the database's network and backup.offsite at `endpoint`. */
function repository(
  endpoint: string,
  offsite: Record<string, unknown> = {},
  recipients: string[] = [],
) {
  const config = JSON.parse(
    readFileSync(`${THIS_REPOSITORY}/gantry.config.json`, "utf8"),
  ) as Record<string, unknown>;
  return hostRepository(THIS_REPOSITORY).withNewFile(
    "gantry.config.json",
    JSON.stringify({
      ...config,
      images: {
        proxy: PROXY_IMAGE,
        postgres: POSTGRES_FROM_TEST_REGISTRY,
        awsCli: AWS_CLI,
        age: AGE,
      },
      environments: { [ENV]: { port: 18495, networks: [database.network] } },
      backup: {
        clientImage: `${MIRROR}/library/postgres:{major}-bookworm`,
        retention: { keepLast: 1, keepDays: 0 },
        encryption: { recipients },
        offsite: { bucket: BUCKET, endpoint, forcePathStyle: true, ...offsite },
      },
    }),
  );
}

/** Runs `backup` with the test's secrets, returning what it printed along with its tar or its error. */
async function backup(
  endpoint: string,
  options: {
    offsite?: Record<string, unknown>;
    credentials?: boolean;
    recipients?: string[];
  } = {},
) {
  const { url, accessKeyId: id, secretAccessKey: key } = secrets();
  const printed = vi.spyOn(console, "log");
  try {
    const call = targetOf(
      gantry,
      repository(endpoint, options.offsite, options.recipients),
      { env: ENV },
    ).backup(
      url,
      options.credentials === false ? undefined : id,
      options.credentials === false ? undefined : key,
    );
    const outcome = await call.then(
      async (file) => {
        const tar = join(work, `${Date.now()}.tar`);
        await file.export(tar);
        return { tar, error: undefined };
      },
      (error: Error) => ({ tar: undefined, error: error.message }),
    );
    const output = printed.mock.calls.flat().join("\n");
    return { ...outcome, output: `${output}\n${outcome.error ?? ""}` };
  } finally {
    printed.mockRestore();
  }
}

/** The S3-compatible server, started in the engine; its endpoint URL is reachable from the session's containers. */
async function startMoto(): Promise<{ service: Service; endpoint: string }> {
  const service = await dag
    .container()
    .from(MOTO)
    .withExposedPort(5000)
    .asService({ useEntrypoint: true })
    .start();
  return { service, endpoint: await service.endpoint({ scheme: "http" }) };
}

/** The AWS CLI against the moto server, the test's own view of the bucket. */
function aws(moto: Service): Container {
  const { accessKeyId: id, secretAccessKey: key } = secrets();
  return dag
    .container()
    .from(AWS_CLI)
    .withServiceBinding("moto", moto)
    .withEnvVariable("AWS_DEFAULT_REGION", "us-east-1")
    .withSecretVariable("AWS_ACCESS_KEY_ID", id)
    .withSecretVariable("AWS_SECRET_ACCESS_KEY", key)
    .withEnvVariable("AT", String(Date.now()));
}

const awsExec = (moto: Service, script: string) =>
  aws(moto).withExec([
    "sh",
    "-c",
    `aws() { command aws --endpoint-url http://moto:5000 "$@"; }; ${script}`,
  ]);

const sha256 = (path: string) =>
  createHash("sha256").update(readFileSync(path)).digest("hex");

const psql = (sql: string) => database.psql(sql);
const volumeFiles = () => database.volumeFiles();

/** Rows of the sentinel table backup writes before its dump; "none" before the first backup created it. */
function sentinelRows(): string {
  try {
    return psql("SELECT count(*) FROM gantry_backup_sentinel");
  } catch {
    return "none";
  }
}

describeWithEngine(
  "offsite copies of backups to an S3-compatible bucket",
  () => {
    beforeAll(async () => {
      await database.start();
      psql(
        `CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO items (name) SELECT 'item ' || n FROM generate_series(1, ${ROWS}) AS n;`,
      );
    }, E2E_TIMEOUT);
    afterAll(() => {
      database.remove();
      rmSync(work, { recursive: true, force: true });
    });

    it(
      "uploads the encrypted backup, reads it back, expires old copies by retention, trims the sentinel table, and never shows the credentials",
      () =>
        inEngine(async () => {
          const since = new Date();
          const { service: moto, endpoint } = await startMoto();
          const expired = `${PREFIX}${ENV}-20200101t000000000z.tar`;
          const unrelated = `${PREFIX}notes.txt`;
          await awsExec(
            moto,
            `aws s3 mb s3://${BUCKET} && echo old | aws s3 cp - s3://${BUCKET}/${expired} && echo keep | aws s3 cp - s3://${BUCKET}/${unrelated}`,
          ).sync();

          // Earlier backups' sentinel rows, more than backup keeps: it trims them to the newest SENTINEL_ROWS_KEPT.
          psql(
            `CREATE TABLE gantry_backup_sentinel (backup_id text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO gantry_backup_sentinel SELECT 'old-' || n, now() - n * interval '1 hour' FROM generate_series(1, ${SENTINEL_ROWS_KEPT + 50}) AS n;`,
          );

          // Encrypted to a key of the test's: the copy must hold the age file, never the cleartext dump.
          const recipient = /public key: (age1\w+)/.exec(
            hostDocker("run", "--rm", "--entrypoint", "age-keygen", AGE),
          )![1];

          const started = Date.now();
          const { tar, output, error } = await backup(endpoint, {
            recipients: [recipient],
          });
          console.log(
            `[offsite e2e] backup with offsite copy: ${((Date.now() - started) / 1000).toFixed(1)} s\n${output}`,
          );
          expect(error).toBeUndefined();
          const manifest = JSON.parse(
            execFileSync("tar", ["-xOf", tar!, "manifest.json"], {
              encoding: "utf8",
            }),
          );
          const key = `${PREFIX}${manifest.id}.tar`;
          expect(output).toContain(
            `offsite: s3://${BUCKET}/${key} at ${endpoint}`,
          );
          expect(output).toContain(`removed ${ENV}-20200101t000000000z`);

          // The test's own look at the bucket: the keys, and the object's bytes against the tar backup returned.
          const keys = (
            await awsExec(
              moto,
              `aws s3api list-objects-v2 --bucket ${BUCKET} --query 'Contents[].Key' --output text`,
            ).stdout()
          )
            .trim()
            .split(/\s+/)
            .sort();
          expect(keys).toEqual([key, unrelated].sort());
          const downloaded = join(work, "downloaded.tar");
          await awsExec(moto, `aws s3 cp s3://${BUCKET}/${key} /tmp/o.tar`)
            .file("/tmp/o.tar")
            .export(downloaded);
          expect(sha256(downloaded)).toBe(sha256(tar!));
          expect(output).toContain(`sha256 ${sha256(tar!)}`);
          // And the dump inside the copy is the encrypted one the manifest describes.
          expect(manifest.payload.file).toBe("dump.pgcustom.age");
          expect(
            execFileSync("tar", ["-tf", downloaded], { encoding: "utf8" })
              .trim()
              .split("\n")
              .sort(),
          ).toEqual(["dump.pgcustom.age", "manifest.json"]);
          const dump = execFileSync(
            "tar",
            ["-xOf", downloaded, manifest.payload.file],
            { maxBuffer: 256 * 1024 * 1024 },
          );
          expect(createHash("sha256").update(dump).digest("hex")).toBe(
            manifest.payload.sha256,
          );
          expect(manifest.tables["public.items"]).toBe(ROWS);
          expect(manifest.tables["public.gantry_backup_sentinel"]).toBe(
            SENTINEL_ROWS_KEPT,
          );
          expect(
            psql(
              "SELECT backup_id FROM gantry_backup_sentinel ORDER BY written_at DESC",
            ).split("\n"),
          ).toEqual([
            manifest.id,
            ...Array.from(
              { length: SENTINEL_ROWS_KEPT - 1 },
              (_, n) => `old-${n + 1}`,
            ),
          ]);

          for (const secret of [accessKeyId, secretAccessKey, password])
            expect(output).not.toContain(secret);
          expect(
            engineFilesHolding(since, [accessKeyId, secretAccessKey]),
          ).toEqual([]);
        }),
      E2E_TIMEOUT,
    );

    it(
      "refuses without credentials before any dump, and keeps the local backup when the bucket does not exist",
      () =>
        inEngine(async () => {
          const { endpoint } = await startMoto();
          const before = volumeFiles();
          const sentinels = sentinelRows();

          const uncredentialed = await backup(endpoint, { credentials: false });
          expect(uncredentialed.error).toContain(
            `backup.offsite copies every backup to s3://${BUCKET}: pass --s3-access-key-id and --s3-secret-access-key`,
          );
          expect(volumeFiles()).toEqual(before);
          expect(sentinelRows()).toBe(sentinels);

          const missing = "gantry-no-such-bucket";
          const { error, output } = await backup(endpoint, {
            offsite: { bucket: missing, retention: false },
          });
          console.log(`[offsite e2e] missing bucket: ${error}`);
          expect(error).toContain(`backup.offsite: copying ${ENV}-`);
          expect(error).toContain(
            `s3://${missing}/${PREFIX} at ${endpoint} failed`,
          );
          expect(error).toMatch(/NoSuchBucket/);
          expect(error).toContain(`sh /gantry/upload.sh ${missing} `);
          const id = /copying (\S+) to/.exec(error!)![1];
          expect(error).toContain(
            `the local backup ${id} is stored in volume ${database.volume} on the target and stays`,
          );
          expect(volumeFiles()).toContain(`${id}.tar`);
          for (const secret of [accessKeyId, secretAccessKey, password])
            expect(output).not.toContain(secret);
        }),
      E2E_TIMEOUT,
    );
  },
);
