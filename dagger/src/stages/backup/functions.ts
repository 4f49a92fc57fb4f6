import type { File, Secret } from "@dagger.io/dagger";
import { resolveTarget } from "../../core/deploy/environment.js";
import { liveRecord } from "../../core/deploy/history.js";
import type { ReportFormat } from "../../core/report.js";
import { reportOrThrow } from "../ci.js";
import { openSite, type TargetRequest } from "../deploy.js";
import { loadProject } from "../workspace.js";
import { chooseBackup } from "../../core/backup/restore.js";
import { seconds } from "../../core/duration.js";
import { databaseUrlOf, takeBackup } from "./backup.js";
import { replaceDatabase } from "./restore.js";
import { restoreTestGates } from "./restoreTest.js";
import { BackupStore } from "./store.js";
import { verifiedDump } from "./unpack.js";
import { copyOffsite } from "./offsite.js";
import { requireCredentials } from "../../core/backup/offsite.js";

export interface BackupRequest extends TargetRequest {
  /** The database's URL as the target reaches it; else postgres.urlEnv of --app-env. */
  databaseUrl?: Secret;
}

export interface OffsiteBackupRequest extends BackupRequest {
  /** Credentials for backup.offsite's bucket; both required when it is set. */
  s3AccessKeyId?: Secret;
  s3SecretAccessKey?: Secret;
  s3SessionToken?: Secret;
}

/**
 * `backup`: a backup of the environment's database, stored on its target, copied to backup.offsite's bucket and
 * checked there when that is set, and returned as a tar File.
 */
export async function backup(
  request: OffsiteBackupRequest,
): Promise<{ file: File; report: string }> {
  const { project, site } = await openSite(request, "a backup");
  const { offsite } = project.config.backup;
  requireCredentials(offsite, {
    accessKeyId: Boolean(request.s3AccessKeyId),
    secretAccessKey: Boolean(request.s3SecretAccessKey),
  });
  const url = await databaseUrlOf(project, request.databaseUrl, request.appEnv);
  if (!url)
    throw new Error(
      `backup needs the database: pass --database-url, or --app-env with ${project.config.postgres.urlEnv} (postgres.urlEnv)`,
    );
  await site.assertNetworksExist();
  const appVersion = liveRecord(await site.history())?.version ?? null;
  const taken = await takeBackup(
    project,
    site.docker,
    site.target,
    url,
    appVersion,
  );
  if (!offsite) return { file: taken.file, report: taken.report };
  const offsiteLines = await copyOffsite(
    project,
    offsite,
    {
      accessKeyId: request.s3AccessKeyId!,
      secretAccessKey: request.s3SecretAccessKey!,
      sessionToken: request.s3SessionToken,
    },
    {
      id: taken.manifest.id,
      instance: site.target.instance,
      file: taken.file,
      volume: new BackupStore(site.docker, project, site.target).volume,
    },
    taken.kept,
  );
  return {
    file: taken.file,
    report: [taken.report, ...offsiteLines].join("\n"),
  };
}

export interface RestoreTestRequest extends TargetRequest {
  /** A backup tar to test instead of the newest on the target. */
  backup?: File;
  ageIdentity?: Secret;
  format: ReportFormat;
}

/** `restore-test`: the gate table of restoring a backup (the given one, else the target's newest) in the engine. */
export async function restoreTest(
  request: RestoreTestRequest,
): Promise<string> {
  const onTarget = Boolean(request.dockerSocket || request.dockerHost);
  if (!onTarget && !request.backup)
    throw new Error(
      "restore-test needs a backup: pass --backup, or the target (--docker-socket or --docker-host) whose newest backup to test",
    );
  let source;
  let project;
  let target;
  if (onTarget) {
    const opened = await openSite(request, "a restore test");
    ({ project } = opened);
    target = opened.site.target;
    source = {
      file: request.backup,
      store: new BackupStore(opened.site.docker, project, target),
    };
  } else {
    project = await loadProject(request.source);
    target = resolveTarget(project.config, request.env, request.name);
    source = { file: request.backup };
  }
  const gates = await restoreTestGates(
    project,
    target,
    source,
    request.ageIdentity,
  );
  return reportOrThrow(gates, request.format);
}

export interface RestoreRequest extends BackupRequest {
  /** The backup to restore; the newest on the target when neither it nor `backup` is given. */
  backupId?: string;
  /** A backup tar (from backup ... export, or its offsite copy) to restore instead of one on the target. */
  backup?: File;
  ageIdentity?: Secret;
}

/**
 * `restore --confirm`: the chosen backup, checked and decrypted first, restored into the environment's database with
 * the live app stopped, after a fresh backup of the database as it was; then the app's health checked.
 */
export async function restore(request: RestoreRequest): Promise<string> {
  if (!request.confirm)
    throw new Error(
      "restore replaces the environment's database with a backup: pass --confirm (a fresh backup of the database as it is is taken first)",
    );
  if (request.backup && request.backupId)
    throw new Error(
      "restore takes one backup: --backup (a tar) or --backup-id (one on the target), not both",
    );
  const started = Date.now();
  const { project, site } = await openSite(request, "a restore");
  const url = await databaseUrlOf(project, request.databaseUrl, request.appEnv);
  if (!url)
    throw new Error(
      `restore needs the database: pass --database-url, or --app-env with ${project.config.postgres.urlEnv} (postgres.urlEnv)`,
    );
  await site.assertNetworksExist();
  const store = new BackupStore(site.docker, project, site.target);
  return site.whileLocked("restore", async () => {
    // A tar given is checked against the manifest it carries; a stored one against the manifest stored beside it.
    const stored = request.backup
      ? undefined
      : chooseBackup(
          (await store.list()).manifests,
          request.backupId,
          `volume ${store.volume} on the target`,
        );
    const { manifest: chosen, dump } = await verifiedDump(
      project,
      stored ? await store.fetch(stored.id) : request.backup!,
      stored?.id ?? "the backup given with --backup",
      request.ageIdentity,
      stored,
    );
    const appVersion = liveRecord(await site.history())?.version ?? null;
    const { value, steps } = await site.whileLiveStopped(() =>
      replaceDatabase(
        project,
        site.docker,
        site.target,
        url,
        appVersion,
        chosen,
        dump,
      ),
    );
    return [
      `restore of ${chosen.id} into the database of ${site.target.instance} succeeded in ${seconds(Date.now() - started)}`,
      ...[...value, ...steps].map((line) => `  ${line}`),
    ].join("\n");
  });
}
