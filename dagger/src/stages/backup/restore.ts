import type { File, Secret } from "@dagger.io/dagger";
import {
  clientImageFor,
  type BackupManifest,
} from "../../core/backup/manifest.js";
import { describeDiscarded } from "../../core/backup/restore.js";
import type { DeployTarget } from "../../core/deploy/environment.js";
import type { DockerHost } from "../deploy/docker.js";
import { seconds } from "../../core/duration.js";
import type { Project } from "../workspace.js";
import { CREATE_ON_NETWORKS, takeBackup, URL_VARIABLE } from "./backup.js";

const INCOMING = "/run/gantry-restore/dump";

/**
 * Empties the database before the dump is replayed: every schema of its own dropped, public created again, so tables a
 * later migration added go too. It runs in the same transaction as the replay: a failure leaves the database as it was.
 */
const RESET_SQL = `DO $$DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$;
CREATE SCHEMA public;`;

/** In the client container: the reset, then the dump as SQL, in one transaction that stops at the first error. */
const RESTORE_COMMAND = `set -e
{ printf '%s\\n' "$GANTRY_SQL"; pg_restore --no-owner --no-acl --file=- /tmp/dump; } |
  psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --single-transaction --dbname="$${URL_VARIABLE}" >/dev/null`;

// Runs in the CLI container: the client image of the dump's major, on the environment's networks, gets the dump copied in.
const RESTORE_SCRIPT = `set -eu
networks=$1 client=$2
${CREATE_ON_NETWORKS}
restore=$(create_on_networks --entrypoint sh "$client" -c "$GANTRY_RESTORE_COMMAND")
trap 'docker rm --force "$restore" >/dev/null' EXIT
docker cp ${INCOMING} "$restore:/tmp/dump"
docker start --attach "$restore"`;

/**
 * Takes a fresh backup of the database as it is (what the restore discards stays recoverable), then replaces the
 * database with `dump` of `chosen`, in one transaction; returns the report's lines, with what the restore discarded.
 * `onSafetyBackup` learns the fresh backup's id as soon as it is stored, for a caller's failure message.
 * The caller keeps the app from writing meanwhile (stopped) and holds the instance's lock.
 */
export async function replaceDatabase(
  project: Project,
  docker: DockerHost,
  target: DeployTarget,
  databaseUrl: Secret,
  appVersion: string | null,
  chosen: BackupManifest,
  dump: File,
  onSafetyBackup: (id: string) => void = () => {},
): Promise<string[]> {
  const fresh = await takeBackup(
    project,
    docker,
    target,
    databaseUrl,
    appVersion,
  );
  onSafetyBackup(fresh.manifest.id);
  const started = Date.now();
  await docker
    .withSecretVariable(URL_VARIABLE, databaseUrl)
    .withFile(INCOMING, dump)
    .script(
      RESTORE_SCRIPT,
      [
        target.settings.networks.join(" "),
        clientImageFor(project.config.backup.clientImage, chosen.server.major),
      ],
      `restoring backup ${chosen.id} into the database (nothing was changed: it runs in one transaction; backup ${fresh.manifest.id} holds the database as it was)`,
      { GANTRY_SQL: RESET_SQL, GANTRY_RESTORE_COMMAND: RESTORE_COMMAND },
    );
  return [
    ...fresh.report.split("\n").map((line) => `safety ${line}`),
    `database: restored backup ${chosen.id} (app ${chosen.appVersion ?? "none"}, PostgreSQL ${chosen.server.version}) in ${seconds(Date.now() - started)}`,
    ...describeDiscarded(chosen, fresh.manifest).map((line) => `  ${line}`),
  ];
}
