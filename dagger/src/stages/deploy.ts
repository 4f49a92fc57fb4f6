import type { Directory, Secret, Socket } from "@dagger.io/dagger";
import { checkDockerHost } from "../core/deploy/dockerHost.js";
import {
  deployImageTag,
  parseCanaryPercent,
  resolveTarget,
} from "../core/deploy/environment.js";
import {
  liveRecord,
  previousRecord,
  type DeployRecord,
} from "../core/deploy/history.js";
import { preDeployBackup } from "../core/backup/restore.js";
import { databaseUrlOf, takeBackup } from "./backup/backup.js";
import { replaceDatabase } from "./backup/restore.js";
import { verifiedDump } from "./backup/unpack.js";
import { BackupStore } from "./backup/store.js";
import { webhookBody } from "../core/webhook.js";
import { credentialPair, imageRegistry } from "../core/release/image.js";
import { serviceImage } from "./build.js";
import type { DockerEndpoint, RegistryCredentials } from "./deploy/docker.js";
import { seconds } from "../core/duration.js";
import {
  RolloutFailure,
  Site,
  type Rollout,
  type RolloutHooks,
} from "./deploy/site.js";
import { send, withSecretUrl } from "./http.js";
import { loadProject, nodeBase, type Project } from "./workspace.js";

/** The environment instance a call acts on, and how to reach its Docker host: what `target` names once. */
export interface TargetPlace {
  source: Directory;
  /** The target's daemon: exactly one of its socket and a DOCKER_HOST URL. */
  dockerSocket?: Socket;
  dockerHost?: Secret;
  /** For an ssh:// dockerHost: the private key and the target's known_hosts lines. */
  dockerSshKey?: Secret;
  dockerKnownHosts?: string;
  /** For a tcp:// dockerHost: the CA the daemon's certificate is checked against, and the client's certificate and key. */
  dockerTlsCa?: Secret;
  dockerTlsCert?: Secret;
  dockerTlsKey?: Secret;
  env: string;
  name?: string;
  /** The env file (KEY=value lines) app containers start with. */
  appEnv?: Secret;
}

/** One call on a target: its own --confirm, and where its outcome is announced. */
export interface TargetRequest extends TargetPlace {
  confirm: boolean;
  webhookUrl?: Secret;
}

export interface RollbackRequest extends TargetRequest {
  /** Also bring the database back to the backup the rolled-away deploy took before its migrations. */
  restoreDatabase: boolean;
  /** Decrypts that backup when it is encrypted. */
  ageIdentity?: Secret;
}

export interface DeployRequest extends TargetRequest {
  image: string;
  version: string;
  gitSha: string;
  canaryPercent: number;
  registryUsername?: string;
  registryPassword?: Secret;
  /** The credential the target pulls with (read-only is enough); the publishing one when not given. */
  pullUsername?: string;
  pullPassword?: Secret;
}

/**
 * Builds the image, publishes it to --image, and rolls it out blue-green on the target; throws (after undoing) when any check fails.
 * The image travels through a registry rather than `docker load` through the socket: the target pulls only the layers it
 * lacks, and the digest pins what runs (and what a rollback returns to).
 */
export async function deploy(request: DeployRequest): Promise<string> {
  const started = Date.now();
  const { project, site } = await openSite(request, "a deploy");
  const canaryPercent = parseCanaryPercent(request.canaryPercent);
  const tag = deployImageTag(site.target.instance, request.version);
  const registry = imageRegistry(request.image);
  const login = (
    username: string | undefined,
    password: Secret | undefined,
    flags: string,
  ): RegistryCredentials | undefined => {
    const pair = credentialPair(username, password, flags);
    return pair && { registry, ...pair };
  };
  const publishing = login(
    request.registryUsername,
    request.registryPassword,
    "--registry-username and --registry-password",
  );
  const pulling =
    login(
      request.pullUsername,
      request.pullPassword,
      "--pull-username and --pull-password",
    ) ?? publishing;
  await site.assertNetworksExist();
  const published = await serviceImage(project, request)
    .with((image) =>
      publishing
        ? image.withRegistryAuth(
            publishing.registry,
            publishing.username,
            publishing.password,
          )
        : image,
    )
    .publish(`${request.image}:${tag}`);
  await site.docker.pull(published, pulling);
  const rollout: Rollout = {
    action: "deploy",
    version: request.version,
    image: published,
    migrate: project.config.app.migrate,
    canaryPercent,
  };
  const databaseUrl = await databaseUrlOf(project, undefined, request.appEnv);
  const notes: string[] = [];
  return rollOut(
    project,
    site,
    request,
    started,
    `deploy of ${request.version} to ${site.target.instance}`,
    () => rollout,
    {
      // The app has a database when --app-env sets postgres.urlEnv: that is what its migrations connect to.
      beforeMigrate: async (live) => {
        const skipped = !project.config.backup.beforeMigrate
          ? "backup.beforeMigrate is false"
          : !rollout.migrate
            ? "app.migrate is not set"
            : !databaseUrl
              ? `--app-env sets no ${project.config.postgres.urlEnv} (postgres.urlEnv)`
              : undefined;
        if (skipped || !databaseUrl)
          return [`backup before migrations: none (${skipped})`];
        const taken = await takeBackup(
          project,
          site.docker,
          site.target,
          databaseUrl,
          live?.version ?? null,
          rollout.version,
        );
        notes.push(
          `the database as it was before the migrations is in backup ${taken.manifest.id} (restore --confirm --backup-id ${taken.manifest.id})`,
        );
        return taken.report
          .split("\n")
          .map((line, index) => (index ? line : `pre-deploy ${line}`));
      },
    },
    notes,
  );
}

/**
 * Puts the version that was live before the current one back, blue-green like a deploy (no migrations run); with
 * restoreDatabase, also the database as the current version's deploy found it (its pre-migration backup).
 */
export async function rollback(request: RollbackRequest): Promise<string> {
  const started = Date.now();
  const { project, site } = await openSite(request, "a rollback");
  await site.assertNetworksExist();
  const { instance } = site.target;
  const notes: string[] = [];
  const hooks = request.restoreDatabase
    ? await databaseRestoreHooks(project, site, request, notes)
    : {};
  return rollOut(
    project,
    site,
    request,
    started,
    `rollback of ${instance}`,
    (history): Rollout => {
      const previous = previousRecord(history);
      if (!previous)
        throw new Error(
          `no previous version of ${instance} in the deploy history on the target: nothing to roll back to`,
        );
      return {
        action: "rollback",
        version: previous.version,
        image: previous.image,
        migrate: null,
        canaryPercent: 0,
      };
    },
    hooks,
    notes,
  );
}

/**
 * For rollback --restore-database: refuses, changing nothing, unless the live version's deploy left a pre-migration
 * backup on the target; the hooks stop the live version, keep the database as it is in a fresh backup, and restore.
 */
async function databaseRestoreHooks(
  project: Project,
  site: Site,
  request: RollbackRequest,
  failureNotes: string[],
): Promise<RolloutHooks> {
  const databaseUrl = await databaseUrlOf(project, undefined, request.appEnv);
  if (!databaseUrl)
    throw new Error(
      `--restore-database needs the database: --app-env with ${project.config.postgres.urlEnv} (postgres.urlEnv); nothing was changed`,
    );
  const store = new BackupStore(site.docker, project, site.target);
  const find = async () => {
    const live = liveRecord(await site.history());
    const { manifests } = await store.list();
    const backup = live && preDeployBackup(manifests, live.version, live.time);
    if (!live || !backup)
      throw new Error(
        `--restore-database: ${live ? `the deploy of ${live.version} left no pre-migration backup in volume ${store.volume}` : "nothing is live"} on the target (backup.beforeMigrate off, no migrations, or removed by retention); nothing was changed. Roll back without --restore-database, or restore a backup with restore --confirm`,
      );
    return { live, backup };
  };
  const { backup } = await find();
  // Checked and decrypted before anything stops: a backup that cannot be restored changes nothing.
  const { dump } = await verifiedDump(
    project,
    await store.fetch(backup.id),
    backup.id,
    request.ageIdentity,
    backup,
  );
  return {
    stopLive: true,
    beforeMigrate: async () => {
      const found = await find();
      if (found.backup.id !== backup.id)
        throw new Error(
          `the deploy history changed while the rollback started (backup ${found.backup.id}, not ${backup.id}); nothing was changed`,
        );
      return replaceDatabase(
        project,
        site.docker,
        site.target,
        databaseUrl,
        found.live.version,
        backup,
        dump,
        (safety) =>
          failureNotes.push(
            `the database may already be restored to backup ${backup.id}; backup ${safety} holds it as it was before the rollback`,
          ),
      );
    },
  };
}

/** Removes every container, the network and the deploy history of an environment instance. */
export async function destroy(request: TargetRequest): Promise<string> {
  const { site } = await openSite(request, "destroying");
  const removed = await site.whileLocked("destroy", () => site.destroy());
  return removed.length
    ? `destroyed ${site.target.instance}: ${removed.join(", ")}`
    : `nothing to destroy: ${site.target.instance} has nothing on the target`;
}

/** Validates the flags and config before anything on the target changes. */
export async function openSite(
  request: TargetRequest,
  action: string,
): Promise<{ project: Project; site: Site }> {
  const endpoint = await dockerEndpoint(request);
  const project = await loadProject(request.source);
  const target = resolveTarget(project.config, request.env, request.name, {
    action,
    confirm: request.confirm,
  });
  return {
    project,
    site: await Site.connect(project, target, endpoint, request.appEnv),
  };
}

async function dockerEndpoint({
  dockerSocket,
  dockerHost,
  dockerSshKey,
  dockerKnownHosts,
  dockerTlsCa,
  dockerTlsCert,
  dockerTlsKey,
}: TargetRequest): Promise<DockerEndpoint> {
  const tlsFlags = [dockerTlsCa, dockerTlsCert, dockerTlsKey].filter(Boolean);
  if (dockerSocket && dockerHost)
    throw new Error(
      "--docker-socket and --docker-host both name the target's Docker daemon: pass one",
    );
  if ((dockerSshKey || dockerKnownHosts) && !dockerHost)
    throw new Error(
      "--docker-ssh-key and --docker-known-hosts are for an ssh:// --docker-host, which is missing",
    );
  if (tlsFlags.length && !dockerHost)
    throw new Error(
      "--docker-tls-ca, --docker-tls-cert and --docker-tls-key are for a tcp:// --docker-host, which is missing",
    );
  if (tlsFlags.length !== 0 && tlsFlags.length !== 3)
    throw new Error(
      "--docker-tls-ca, --docker-tls-cert and --docker-tls-key go together: the daemon's CA, the client certificate and its key",
    );
  if (Boolean(dockerSshKey) !== Boolean(dockerKnownHosts))
    throw new Error(
      "--docker-ssh-key needs --docker-known-hosts (the target's host keys, checked out of band) and the other way round",
    );
  if (dockerSocket) return { socket: dockerSocket };
  if (!dockerHost)
    throw new Error(
      "the target's Docker daemon is missing: pass --docker-socket /var/run/docker.sock or --docker-host env:DOCKER_HOST (ssh://… with --docker-ssh-key, or tcp://… with --docker-tls-*)",
    );
  // The URL is read only to check its scheme against the flags; it stays a Secret for the CLI.
  checkDockerHost(await dockerHost.plaintext(), {
    ssh: Boolean(dockerSshKey),
    tls: tlsFlags.length === 3,
  });
  return {
    host: dockerHost,
    ssh:
      dockerSshKey && dockerKnownHosts
        ? { key: dockerSshKey, knownHosts: dockerKnownHosts }
        : undefined,
    tls:
      dockerTlsCa && dockerTlsCert && dockerTlsKey
        ? { ca: dockerTlsCa, cert: dockerTlsCert, key: dockerTlsKey }
        : undefined,
  };
}

/** Rolls out what `choose` picks from the history, holding the instance's lock as `holder`; reports and notifies. */
async function rollOut(
  project: Project,
  site: Site,
  request: TargetRequest,
  started: number,
  holder: string,
  choose: (history: DeployRecord[]) => Rollout,
  hooks: RolloutHooks = {},
  /** Lines the hooks left for a failure's message (e.g. which backup holds the database as it was). */
  failureNotes: string[] = [],
): Promise<string> {
  const describe = (rollout: Rollout) =>
    `${rollout.action} of ${rollout.version} to ${site.target.instance}`;
  const rolloutStarted = Date.now();
  // The total includes building and transferring the image; the rollout is what the target lives through.
  const took = () =>
    `${seconds(Date.now() - started)} (rollout ${seconds(Date.now() - rolloutStarted)})`;
  try {
    const success = await site.whileLocked(holder, () =>
      site.rollOut(choose, hooks),
    );
    const what = describe(success.rollout);
    const replaced = success.replaced
      ? `${success.replaced.version} (${success.replaced.color}) removed`
      : "first version on this target";
    const report = [
      `${what} succeeded in ${took()} on ${success.color}: ${await site.url()}`,
      ...success.steps.map((step) => `  ${step}`),
      `  previous: ${replaced}`,
    ].join("\n");
    return report + (await notify(project, request.webhookUrl, report));
  } catch (error) {
    if (!(error instanceof RolloutFailure)) throw error;
    const outcome = !error.switched
      ? "nothing was switched"
      : error.restored
        ? `traffic back on ${error.restored.version} (${error.restored.color}) in ${seconds(error.restoredMs)}`
        : "the proxy was removed (there was no previous version)";
    const message = [
      `${describe(error.rollout)} failed after ${took()}: ${error.reason}; ${outcome}; what it started was removed`,
      ...failureNotes,
    ].join("; ");
    throw new Error(
      message + (await notify(project, request.webhookUrl, message)),
      { cause: error },
    );
  }
}

/** Posts the outcome to the webhook; a webhook failure is reported, never turned into a failed deploy. */
async function notify(
  project: Project,
  webhookUrl: Secret | undefined,
  message: string,
): Promise<string> {
  if (!webhookUrl) return "";
  try {
    const response = await send(
      withSecretUrl(await nodeBase(project), webhookUrl),
      { method: "POST", body: webhookBody(message) },
      "webhook notification",
    );
    return response.ok
      ? "\n  webhook: notified"
      : `\n  webhook: answered ${response.status}`;
  } catch (error) {
    return `\n  webhook: ${(error as Error).message}`;
  }
}
