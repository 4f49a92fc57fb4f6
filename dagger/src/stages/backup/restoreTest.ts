import { seconds } from "../../core/duration.js";
import { dag, type File, type Secret, type Service } from "@dagger.io/dagger";
import {
  binaryMajor,
  COUNT_ROWS_SQL,
  DUMP_FILE,
  parseTableCounts,
} from "../../core/backup/manifest.js";
import {
  checksumGate,
  freshnessGate,
  rowCountGate,
  sentinelGate,
  versionGate,
} from "../../core/backup/restoreTest.js";
import {
  newestBackup,
  newestRestoreTested,
  type StoredBackup,
} from "../../core/backup/retention.js";
import type { DeployTarget } from "../../core/deploy/environment.js";
import {
  describeFailures,
  PROBE_SCRIPT,
  type ProbeSample,
} from "../../core/deploy/probe.js";
import {
  failureMessage,
  type Gate,
  type GateVerdict,
} from "../../core/gates.js";
import { serviceImage } from "../build.js";
import { postgresService, withDatabase } from "../postgres.js";
import { nodeBase, type Project } from "../workspace.js";
import type { BackupStore } from "./store.js";
import { decrypt, unpackBackup } from "./unpack.js";

const WORK = "/work";
const APP_HOST = "app";
const HEALTH_TIMEOUT_MS = 60_000;

/** Where the backup under test comes from: a file given, or the target's store (whose newest one is tested). */
export interface BackupSource {
  file?: File;
  store?: BackupStore;
}

/**
 * Proves a backup restorable: checksum, decryption, version, restore into a throwaway Postgres in the engine, row
 * counts and sentinel against the manifest, the app's migrations, the app started on it and its health and smoke
 * paths; then how old the newest restore-tested backup is. Every step is a gate; the first failure skips the rest.
 */
export async function restoreTestGates(
  project: Project,
  target: DeployTarget,
  source: BackupSource,
  ageIdentity: Secret | undefined,
): Promise<Gate[]> {
  const gates: Gate[] = [];
  let failedAt: string | undefined;
  const step = async <T>(
    name: string,
    body: () => Promise<{ verdict: GateVerdict; value?: T }>,
  ): Promise<T | undefined> => {
    if (failedAt) {
      gates.push({
        name,
        status: "skip",
        figure: "not run",
        threshold: "-",
        durationMs: 0,
        details: [`not run: ${failedAt} failed`],
      });
      return undefined;
    }
    const started = Date.now();
    let verdict: GateVerdict;
    let value: T | undefined;
    try {
      ({ verdict, value } = await body());
    } catch (error) {
      verdict = {
        name,
        status: "fail",
        figure: "failed",
        threshold: "-",
        details: failureMessage(error).split("\n"),
      };
    }
    gates.push({ ...verdict, durationMs: Date.now() - started });
    if (verdict.status === "fail") failedAt = name;
    return value;
  };

  const listing = source.store ? await source.store.list() : undefined;
  const chosen = source.file
    ? { file: source.file, id: undefined }
    : await latestOnTarget(source.store!, listing!.stored);
  const { config } = project;
  const restoreImage = dag.container().from(config.images.postgres);

  const unpacked = await step("backup checksum", async () => {
    const { manifest, actualSha256, dump } = await unpackBackup(
      project,
      chosen.file,
      chosen.id ?? "the backup given",
    );
    return {
      verdict: checksumGate(manifest, actualSha256),
      value: { manifest, dump },
    };
  });

  const dump = await step("decryption", () =>
    decrypt(project, unpacked!.manifest, unpacked!.dump, ageIdentity),
  );

  await step("postgres version", async () => ({
    verdict: versionGate(
      unpacked!.manifest,
      binaryMajor(
        await restoreImage.withExec(["postgres", "--version"]).stdout(),
      ),
      config.images.postgres,
    ),
  }));

  const manifest = unpacked?.manifest;
  let database: Service | undefined;
  try {
    const restored = await step("restore", async () => {
      database = await (
        await postgresService(project, { fresh: true })
      ).start();
      const started = Date.now();
      await restoreImage
        .with(withDatabase(project, database))
        .withFile(`${WORK}/${DUMP_FILE}`, dump!)
        .withExec([
          "sh",
          "-c",
          `pg_restore --no-owner --no-acl --exit-on-error --dbname="$${config.postgres.urlEnv}" ${WORK}/${DUMP_FILE}`,
        ])
        .sync();
      const ms = Date.now() - started;
      return {
        verdict: {
          name: "restore",
          status: "pass",
          figure: `${seconds(ms)} (expected recovery time)`,
          threshold: "pg_restore exit 0",
          details: [],
        },
        value: ms,
      };
    });
    const psql = (sql: string) =>
      restoreImage
        .with(withDatabase(project, database!))
        .withEnvVariable("GANTRY_SQL", sql)
        .withExec([
          "sh",
          "-c",
          `printf '%s' "$GANTRY_SQL" | psql --no-psqlrc --tuples-only --no-align --field-separator="$(printf '\\t')" --set ON_ERROR_STOP=1 --dbname="$${config.postgres.urlEnv}"`,
        ])
        .stdout();
    await step("row counts", async () => ({
      verdict: rowCountGate(
        manifest!.tables,
        parseTableCounts(await psql(COUNT_ROWS_SQL)),
      ),
    }));
    await step("sentinel row", async () => ({
      verdict: sentinelGate(
        manifest!,
        (
          await psql(
            `SELECT count(*) FROM ${manifest!.sentinel.table} WHERE backup_id = '${manifest!.sentinel.id}'`,
          )
        ).trim() === "1",
      ),
    }));
    const app = () =>
      serviceImage(project, {
        version: manifest?.appVersion ?? "restore-test",
        gitSha: "restore-test",
      })
        .with(withDatabase(project, database!))
        .with((image) =>
          Object.entries(config.app.env).reduce(
            (container, [name, value]) =>
              container.withEnvVariable(name, value),
            image,
          ),
        );
    await step("migrations", async () => {
      if (!config.app.migrate)
        return {
          verdict: {
            name: "migrations",
            status: "skip",
            figure: "skipped",
            threshold: "-",
            details: ["app.migrate is not set"],
          },
        };
      await app().withExec(config.app.migrate).sync();
      return {
        verdict: {
          name: "migrations",
          status: "pass",
          figure: config.app.migrate.join(" "),
          threshold: "exit 0",
          details: [],
        },
      };
    });
    await step("app health and smoke", () => probeApp(project, target, app()));
    if (!failedAt && restored !== undefined && chosen.id && source.store)
      await source.store.markRestoreTested(chosen.id, new Date());
  } finally {
    await database?.stop();
  }

  const now = new Date();
  const proven: StoredBackup[] = (listing?.stored ?? []).map((backup) =>
    backup.id === chosen.id && !failedAt
      ? { ...backup, restoreTestedAt: now.toISOString() }
      : backup,
  );
  if (!chosen.id && !failedAt && manifest)
    proven.push({
      id: manifest.id,
      createdAt: manifest.createdAt,
      restoreTestedAt: now.toISOString(),
    });
  gates.push({
    ...freshnessGate(
      newestRestoreTested(proven),
      config.backup.maxRestoreTestedAgeHours,
      now,
    ),
    durationMs: 0,
  });
  return gates;
}

async function latestOnTarget(
  store: BackupStore,
  stored: StoredBackup[],
): Promise<{ file: File; id: string }> {
  const latest = newestBackup(stored);
  if (!latest)
    throw new Error(
      `no backup of ${store.target.instance} in volume ${store.volume} on the target: run backup first, or pass --backup`,
    );
  return { file: await store.fetch(latest.id), id: latest.id };
}

/** Starts the app on the restored database and requests its health path until it answers, then its smoke paths. */
async function probeApp(
  project: Project,
  target: DeployTarget,
  app: ReturnType<typeof serviceImage>,
): Promise<{ verdict: GateVerdict }> {
  const { port } = project.config.app;
  const { healthPath, smokePaths } = target.settings;
  const service = app.withExposedPort(port).asService({ useEntrypoint: true });
  const run = async (paths: string[], untilOk: boolean) =>
    JSON.parse(
      await (
        await nodeBase(project)
      )
        .withServiceBinding(APP_HOST, service)
        .withEnvVariable(
          "GANTRY_PROBE",
          JSON.stringify({
            baseUrl: `http://${APP_HOST}:${port}`,
            paths,
            durationMs: untilOk ? HEALTH_TIMEOUT_MS : 0,
            intervalMs: 1000,
            untilOk,
          }),
        )
        .withExec(["node", "--input-type=module", "--eval", PROBE_SCRIPT])
        .stdout(),
    ) as ProbeSample[];
  const health = await run([healthPath], true);
  const smoke = await run(smokePaths, false);
  const last = [health.at(-1)!, ...smoke];
  const failures = describeFailures(last);
  return {
    verdict: {
      name: "app health and smoke",
      status: failures ? "fail" : "pass",
      figure: last
        .map((sample) => `${sample.path} ${sample.status}`)
        .join(", "),
      threshold: "2xx/3xx",
      details: failures ? [failures] : [],
    },
  };
}
