import { dag, type File, type Secret } from "@dagger.io/dagger";
import {
  BACKUP_FORMAT,
  backupId,
  clientImageFor,
  DUMP_FILE,
  ENCRYPTED_DUMP_FILE,
  parseTableCounts,
  serverMajor,
  type BackupManifest,
} from "../../core/backup/manifest.js";
import {
  applyRetention,
  type StoredBackup,
} from "../../core/backup/retention.js";
import { parseEnvFile } from "../../core/deploy/redact.js";
import { seconds } from "../../core/duration.js";
import type { DockerHost } from "../deploy/docker.js";
import type { DeployTarget } from "../../core/deploy/environment.js";
import type { Project } from "../workspace.js";
import { ageContainer } from "./age.js";
import { BackupStore } from "./store.js";

/** Rows the sentinel table keeps: the newest backups' (a restore test looks only for its own backup's row). */
export const SENTINEL_ROWS_KEPT = 100;

/** The variable the database URL travels in, from the CLI container to the target's psql and pg_dump (never argv). */
export const URL_VARIABLE = "GANTRY_DATABASE_URL";

/**
 * Shell for the CLI container, with $networks set (space-separated): create_on_networks takes docker create arguments
 * and prints the id of the container, connected to every network, with the database URL and GANTRY_SQL passed in.
 */
export const CREATE_ON_NETWORKS = `first=\${networks%% *}
create_on_networks() {
  cid=$(docker create \${first:+--network "$first"} --env ${URL_VARIABLE} --env PGCONNECT_TIMEOUT=10 --env GANTRY_SQL "$@") || exit 125
  for network in \${networks#"$first"}; do
    docker network connect "$network" "$cid" >/dev/null || { docker rm --force "$cid" >/dev/null; exit 125; }
  done
  echo "$cid"
}`;

/** In the psql container: writes the sentinel row, prints server_version_num and server_version. */
const PROBE_COMMAND = `printf '%s' "$GANTRY_SQL" | psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 --dbname="$${URL_VARIABLE}"`;
/** In the pg_dump container: dumps, then counts each table's rows in the dump's own COPY data (`C table<TAB>rows`). */
const DUMP_COMMAND = `set -e
pg_dump --format=custom --no-password --file=/tmp/dump --dbname="$${URL_VARIABLE}"
pg_restore --data-only --file=- /tmp/dump | awk '
  copying { if ($0 == "\\\\.") copying = 0; else rows[table]++; next }
  /^COPY .* FROM stdin;$/ { table = $2; rows[table] += 0; copying = 1 }
  END { for (t in rows) printf "C %s\\t%d\\n", t, rows[t] }'`;

// Runs in the CLI container against the target's Docker: the psql container writes the sentinel row and reads the
// server's version; the pg_dump container, of that major's client image, dumps and counts rows from the dump itself
// (so the counts describe exactly that snapshot while the app keeps writing); the dump is copied off into /out/dump.
// Both join the environment's networks (the database's), like the app's migrations.
const DUMP_SCRIPT = `set -eu
networks=$1 volume=$2 label=$3 probe_image=$4 client_template=$5
${CREATE_ON_NETWORKS}
docker volume create --label "$label" "$volume" >/dev/null
probe=$(create_on_networks --entrypoint sh "$probe_image" -c "$GANTRY_PROBE_COMMAND")
versions=$(docker start --attach "$probe") || { docker rm --force "$probe" >/dev/null; echo "psql could not connect or write the sentinel row" >&2; exit 3; }
docker rm --force "$probe" >/dev/null
num=$(printf '%s\\n' "$versions" | sed -n 1p)
echo "V $num"
echo "S $(printf '%s\\n' "$versions" | sed -n 2p)"
client=$(printf '%s' "$client_template" | sed "s/{major}/$((num / 10000))/g")
dump=$(create_on_networks --entrypoint sh "$client" -c "$GANTRY_DUMP_COMMAND")
trap 'docker rm --force "$dump" >/dev/null' EXIT
docker start --attach "$dump" || { echo "pg_dump with $client failed" >&2; exit 4; }
mkdir -p /out
docker cp "$dump:/tmp/dump" /out/dump`;

/** How to reach the database: --database-url, else the configured variable (postgres.urlEnv) of --app-env. */
export async function databaseUrlOf(
  project: Project,
  databaseUrl?: Secret,
  appEnv?: Secret,
): Promise<Secret | undefined> {
  if (databaseUrl) return databaseUrl;
  if (!appEnv) return undefined;
  const { urlEnv } = project.config.postgres;
  const entry = parseEnvFile(await appEnv.plaintext()).find(
    ({ name }) => name === urlEnv,
  );
  return entry
    ? dag.setSecret(
        `gantry-backup-url-${project.config.postgres.database}`,
        entry.value,
      )
    : undefined;
}

/** A backup taken and stored on the target. */
export interface TakenBackup {
  manifest: BackupManifest;
  file: File;
  report: string;
  /** The target's backups after retention, this one included, with their restore tests. */
  kept: StoredBackup[];
}

/**
 * Dumps the environment's database on its target (pg_dump, custom format, the server's major), encrypts the dump to
 * backup.encryption.recipients when set (failing closed), checksums it, stores `<id>.tar` in the instance's backup
 * volume and applies retention. Nothing is stored, and no earlier backup is touched, unless every step succeeded.
 */
export async function takeBackup(
  project: Project,
  docker: DockerHost,
  target: DeployTarget,
  databaseUrl: Secret,
  appVersion: string | null,
  /** The version a deploy is about to migrate to, when a deploy takes it. */
  beforeDeploy?: string,
): Promise<TakenBackup> {
  const { config } = project;
  const started = new Date();
  const id = backupId(target.instance, started);
  const store = new BackupStore(docker, project, target);
  const table = config.backup.sentinelTable;
  // One transaction writes the row and trims the table to the newest SENTINEL_ROWS_KEPT, so it never grows.
  const sentinelSql = `BEGIN; CREATE TABLE IF NOT EXISTS ${table} (backup_id text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now()); INSERT INTO ${table} (backup_id) VALUES ('${id}'); DELETE FROM ${table} WHERE backup_id NOT IN (SELECT backup_id FROM ${table} ORDER BY written_at DESC, backup_id DESC LIMIT ${SENTINEL_ROWS_KEPT}); COMMIT; SHOW server_version_num; SHOW server_version;`;
  // An unusable recipient stops the backup before the database or the target is touched.
  await encrypt(
    project,
    dag.directory().withNewFile("probe", "").file("probe"),
  );
  const existing = await store.list();
  let dumped;
  try {
    dumped = await docker
      .withSecretVariable(URL_VARIABLE, databaseUrl)
      .scriptFile(
        DUMP_SCRIPT,
        [
          target.settings.networks.join(" "),
          store.volume,
          `gantry.backups=${target.instance}`,
          config.images.postgres,
          config.backup.clientImage,
        ],
        `backup of ${target.instance}`,
        "/out/dump",
        {
          GANTRY_SQL: sentinelSql,
          GANTRY_PROBE_COMMAND: PROBE_COMMAND,
          GANTRY_DUMP_COMMAND: DUMP_COMMAND,
        },
      );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; check that the database is running and reachable from environments.${target.environment}.networks with that URL; no backup was stored, earlier backups are untouched`,
      { cause: error },
    );
  }
  const lines = dumped.stdout.split("\n");
  const field = (tag: string) =>
    lines.find((line) => line.startsWith(`${tag} `))?.slice(2) ?? "";
  const payload = await encrypt(project, dumped.file);
  const { sha256, bytes } = await measure(project, payload.file);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    id,
    createdAt: started.toISOString(),
    environment: target.environment,
    instance: target.instance,
    appVersion,
    ...(beforeDeploy ? { beforeDeploy } : {}),
    server: { version: field("S"), major: serverMajor(field("V")) },
    clientImage: clientImageFor(
      config.backup.clientImage,
      serverMajor(field("V")),
    ),
    tables: parseTableCounts(
      lines
        .filter((line) => line.startsWith("C "))
        .map((line) => line.slice(2))
        .join("\n"),
    ),
    sentinel: { table, id },
    payload: {
      file: payload.name,
      sha256,
      bytes,
      recipients: config.backup.encryption.recipients,
    },
    durationMs: Date.now() - started.getTime(),
  };
  const file = bundle(project, manifest, payload.file);
  const stored = [...existing.stored, { id, createdAt: manifest.createdAt }];
  const retention = applyRetention(stored, config.backup.retention, new Date());
  await store.store(file, manifest, retention.expire);
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  const report = [
    `backup ${id} of ${target.instance} stored in volume ${store.volume} in ${seconds(Date.now() - started.getTime())}`,
    `  PostgreSQL ${manifest.server.version} dumped with ${manifest.clientImage}: ${rows} rows in ${Object.keys(manifest.tables).length} tables, ${bytes} bytes, sha256 ${sha256}`,
    `  ${manifest.payload.recipients.length ? `encrypted with age to ${manifest.payload.recipients.length} recipient(s)` : "not encrypted (backup.encryption.recipients is empty)"}`,
    `  retention: ${retention.keep.size} kept, ${retention.expire.length ? `removed ${retention.expire.join(", ")}` : "none expired"}`,
  ].join("\n");
  return {
    manifest,
    file,
    report,
    kept: stored.filter((backup) => !retention.expire.includes(backup.id)),
  };
}

/** The dump encrypted to every configured recipient, or as it is when there are none; any age error stops the backup. */
async function encrypt(
  project: Project,
  dump: File,
): Promise<{
  file: File;
  name: typeof DUMP_FILE | typeof ENCRYPTED_DUMP_FILE;
}> {
  const { recipients } = project.config.backup.encryption;
  if (recipients.length === 0) return { file: dump, name: DUMP_FILE };
  try {
    const encrypted = ageContainer(project.config)
      .withFile(`/work/${DUMP_FILE}`, dump)
      .withExec([
        "age",
        "--encrypt",
        ...recipients.flatMap((recipient) => ["--recipient", recipient]),
        "--output",
        `/work/${ENCRYPTED_DUMP_FILE}`,
        `/work/${DUMP_FILE}`,
      ])
      .file(`/work/${ENCRYPTED_DUMP_FILE}`);
    await encrypted.sync();
    return { file: encrypted, name: ENCRYPTED_DUMP_FILE };
  } catch (error) {
    throw new Error(
      `backup.encryption: age could not encrypt to the configured recipients (${(error as Error).message.split("\n")[0]}); no backup was stored, nothing was sent anywhere in clear`,
      { cause: error },
    );
  }
}

/** sha256 and size of a file, computed in the CLI image (coreutils or busybox). */
async function measure(
  project: Project,
  file: File,
): Promise<{ sha256: string; bytes: number }> {
  const output = await dag
    .container()
    .from(project.config.images.docker)
    .withFile("/work/payload", file)
    .withExec([
      "sh",
      "-c",
      "sha256sum /work/payload | cut -c1-64; wc -c < /work/payload",
    ])
    .stdout();
  const [sha256, bytes] = output.trim().split("\n");
  return { sha256, bytes: Number(bytes.trim()) };
}

/** The backup as one tar: manifest.json and the payload. */
function bundle(
  project: Project,
  manifest: BackupManifest,
  payload: File,
): File {
  return dag
    .container()
    .from(project.config.images.docker)
    .withFile(`/work/${manifest.payload.file}`, payload)
    .withNewFile("/work/manifest.json", JSON.stringify(manifest, null, 2))
    .withExec([
      "tar",
      "-cf",
      `/${manifest.id}.tar`,
      "-C",
      "/work",
      "manifest.json",
      manifest.payload.file,
    ])
    .file(`/${manifest.id}.tar`);
}
