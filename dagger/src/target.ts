import {
  func,
  object,
  type Directory,
  type File,
  type Secret,
  type Socket,
} from "@dagger.io/dagger";
import { ReportFormat } from "./core/report.js";
import { backup, restore, restoreTest } from "./stages/backup/functions.js";
import {
  deploy,
  destroy,
  rollback,
  type TargetPlace,
  type TargetRequest,
} from "./stages/deploy.js";

/**
 * One environment on its Docker host, named once by `target`; its functions deploy to it, roll it back, remove it, and
 * back up, restore and restore-test its database. None of them is ever cached: each acts on the target.
 */
@object()
export class Target implements TargetPlace {
  // Not decorated with @func: kept in the object's state between calls without becoming readable fields (secrets).
  // Set by Gantry.target; the engine rebuilds the object with no arguments and assigns this state.
  env = "";
  source!: Directory;
  name?: string;
  appEnv?: Secret;
  dockerSocket?: Socket;
  dockerHost?: Secret;
  dockerSshKey?: Secret;
  dockerKnownHosts?: string;
  dockerTlsCa?: Secret;
  dockerTlsCert?: Secret;
  dockerTlsKey?: Secret;

  /**
   * Deploy blue-green: build, publish to --image, migrate, start beside the live version, health and smoke checks, switch the nginx proxy, watch error rate and latency, then remove the old version; any failure puts the old version back and fails.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env deploy --image ghcr.io/acme/app --version 1.2.3 --registry-username acme --registry-password env:GITHUB_TOKEN --pull-username acme --pull-password env:PULL_TOKEN
   * @param image Image repository without tag the target pulls from (e.g. ghcr.io/acme/app); published there as :deploy-<instance>_<version>, never a release's tag.
   * @param version Version to deploy (letters, digits, . _ -; e.g. 1.2.3 or a commit SHA), in the image tag and the deploy history.
   * @param gitSha Git commit baked into the image for GET /version.
   * @param confirm Required for environments with requireConfirm (production by default).
   * @param canaryPercent Share of traffic the new version gets during the watch window before the full switch; 0 switches all at once.
   * @param registryUsername User name for --registry-password.
   * @param registryPassword Password or token of the image registry, for publishing; also the target's pull credential when --pull-password is not given.
   * @param pullUsername User name for --pull-password.
   * @param pullPassword Read-only registry token the target pulls the image with, so it never gets the publishing one; defaults to --registry-password.
   * @param webhookUrl Slack- or Discord-compatible incoming webhook told the outcome.
   */
  @func({ cache: "never" })
  async deploy(
    image: string,
    version = "dev",
    gitSha = "unknown",
    confirm = false,
    canaryPercent = 0,
    registryUsername?: string,
    registryPassword?: Secret,
    pullUsername?: string,
    pullPassword?: Secret,
    webhookUrl?: Secret,
  ): Promise<string> {
    return deploy({
      ...this.request(confirm),
      image,
      version,
      gitSha,
      canaryPercent,
      registryUsername,
      registryPassword,
      pullUsername,
      pullPassword,
      webhookUrl,
    });
  }

  /**
   * Put the version that was live before the current one back, blue-green, from the deploy history kept on the Docker host; a second rollback goes one further back, never to the version just rolled away from.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env rollback --restore-database
   * @param confirm Required for environments with requireConfirm (production by default).
   * @param restoreDatabase Also restore the database to the backup the current version's deploy took before its migrations (after a fresh backup of it as it is); refused when there is none.
   * @param ageIdentity age identity (private key file) that decrypts that backup when it is encrypted.
   * @param webhookUrl Slack- or Discord-compatible incoming webhook told the outcome.
   */
  @func({ cache: "never" })
  async rollback(
    confirm = false,
    restoreDatabase = false,
    ageIdentity?: Secret,
    webhookUrl?: Secret,
  ): Promise<string> {
    return rollback({
      ...this.request(confirm),
      restoreDatabase,
      ageIdentity,
      webhookUrl,
    });
  }

  /**
   * Remove the environment instance from the Docker host: its containers, network and deploy history.
   *
   * @example dagger call target --docker-host env:DOCKER_HOST --docker-ssh-key file:./deploy_key --docker-known-hosts "$(cat ./deploy_known_hosts)" --env preview --name pr-123 destroy
   * @param confirm Required for environments with requireConfirm (production by default).
   */
  @func({ cache: "never" })
  async destroy(confirm = false): Promise<string> {
    return destroy(this.request(confirm));
  }

  /**
   * Back up the environment's database: pg_dump (custom format) from the Postgres client image of the server's major version, run on the target's Docker on the environment's networks; sha256 and a manifest (time, environment, server version, rows per table, app version live); encrypted with age to backup.encryption.recipients when set (an unusable recipient stops it); kept in the volume gantry-<instance>-backups on the target under backup.retention; with backup.offsite, also copied to that S3-compatible bucket, read back and checked (size, sha256) and expired there by the same retention; returned as a tar.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env backup export --path staging-backup.tar
   * @example dagger call target --docker-socket /var/run/docker.sock --env production --app-env file:./production.env backup --s3-access-key-id env:AWS_ACCESS_KEY_ID --s3-secret-access-key env:AWS_SECRET_ACCESS_KEY export --path production-backup.tar
   * @param databaseUrl postgres:// URL of the database as the target's containers reach it; defaults to postgres.urlEnv of the target's --app-env.
   * @param s3AccessKeyId Access key id for backup.offsite's bucket (required when backup.offsite is set), e.g. env:AWS_ACCESS_KEY_ID.
   * @param s3SecretAccessKey Secret access key for backup.offsite's bucket (required when backup.offsite is set), e.g. env:AWS_SECRET_ACCESS_KEY.
   * @param s3SessionToken Session token of temporary credentials for backup.offsite's bucket, e.g. env:AWS_SESSION_TOKEN.
   */
  @func({ cache: "never" })
  async backup(
    databaseUrl?: Secret,
    s3AccessKeyId?: Secret,
    s3SecretAccessKey?: Secret,
    s3SessionToken?: Secret,
  ): Promise<File> {
    const taken = await backup({
      ...this.request(true),
      databaseUrl,
      s3AccessKeyId,
      s3SecretAccessKey,
      s3SessionToken,
    });
    console.log(taken.report);
    return taken.file;
  }

  /**
   * Prove a backup restorable (the newest on the target, or --backup): checksum, decryption, restore into a throwaway Postgres in the engine (its time is the recovery time to expect), row counts and sentinel row against the manifest, the app's migrations, the app started on it with its health and smoke paths; and the age of the newest backup that passed a restore test against backup.maxRestoreTestedAgeHours. Prints the gate table; fails if a gate failed. With --backup, the target needs no Docker connection.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging restore-test --age-identity file:./backup-key.txt
   * @example dagger call target --env staging restore-test --backup ./staging-backup.tar
   * @param backup A backup tar (from backup ... export) to test instead of the newest on the target.
   * @param ageIdentity age identity (private key file) that decrypts an encrypted backup.
   * @param format Report format: a text table, or markdown for a GitHub job summary.
   */
  @func({ cache: "never" })
  async restoreTest(
    backup?: File,
    ageIdentity?: Secret,
    format: ReportFormat = ReportFormat.text,
  ): Promise<string> {
    return restoreTest({
      ...this.request(true),
      backup,
      ageIdentity,
      format,
    });
  }

  /**
   * Restore a backup (--backup-id, or a tar given with --backup, else the newest on the target) into the environment's database: checks its sha256 and decrypts it first, takes a fresh backup of the database as it is, stops the live app, replaces the database in one transaction, starts the app again and checks its health and smoke paths. Refuses without --confirm.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env restore --backup-id staging-20260101t020000000z --confirm
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env restore --backup ./staging-20260101t020000000z.tar --confirm
   * @param confirm Required: the database is replaced by the backup's contents.
   * @param backupId Id of the backup to restore (as backup printed it); the newest on the target when not given.
   * @param backup A backup tar (from backup ... export, or its offsite copy) to restore instead of one on the target; not with --backup-id.
   * @param databaseUrl postgres:// URL of the database as the target's containers reach it; defaults to postgres.urlEnv of the target's --app-env.
   * @param ageIdentity age identity (private key file) that decrypts an encrypted backup.
   */
  @func({ cache: "never" })
  async restore(
    confirm = false,
    backupId?: string,
    backup?: File,
    databaseUrl?: Secret,
    ageIdentity?: Secret,
  ): Promise<string> {
    return restore({
      ...this.request(confirm),
      backupId,
      backup,
      databaseUrl,
      ageIdentity,
    });
  }

  /** The stages' request for this target; `confirm` is each call's own. */
  private request(confirm: boolean): TargetRequest {
    return { ...this, confirm };
  }
}
