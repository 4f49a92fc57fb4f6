import { dag } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseHistory } from "../../src/core/deploy/history.js";
import { Gantry } from "../../src/index.js";
import { describeWithEngine, inEngine, rejection } from "./engine.js";
import { AUTH_REGISTRY, startAuthRegistry } from "./support/authRegistry.js";
import { startSshTarget } from "./support/sshTarget.js";
import {
  E2E_ENV,
  E2E_IMAGE,
  E2E_PREVIEW,
  E2E_PREVIEW_INSTANCE,
  engineFilesHolding,
  forwardDockerOverTls,
  hostDocker,
  instanceHistory,
  PROXY_IMAGE,
  pollWhile,
  removeE2eResources,
  sampleApp,
  E2E_DB_BACKUPS,
  E2E_DB_ENV,
  E2E_DB_PORT,
  POSTGRES_FROM_TEST_REGISTRY,
  servedVersion,
  startTargetDatabase,
  startWebhookReceiver,
  targetOf,
  thisRepositoryWithDatabaseEnvironment,
  type Variant,
} from "./support/deployFixture.js";

const gantry = new Gantry();
const TEN_MINUTES = 600_000;

function deployVariant(
  variant: Variant,
  {
    canaryPercent = 0,
    webhookUrl,
    appEnv,
  }: { canaryPercent?: number; webhookUrl?: string; appEnv?: string } = {},
) {
  return targetOf(gantry, sampleApp(variant), {
    appEnv:
      appEnv === undefined
        ? undefined
        : dag.setSecret("deploy-e2e-variant-app-env", appEnv),
  }).deploy(
    E2E_IMAGE,
    variant.version,
    "e2e",
    false,
    canaryPercent,
    undefined,
    undefined,
    undefined,
    undefined,
    webhookUrl === undefined
      ? undefined
      : dag.setSecret("deploy-e2e-webhook", webhookUrl),
  );
}

/**
 * Brings the e2e instance to `versions` deployed in that order, the last one live, deploying only when its recent
 * live records differ: each test states the state it starts from, so it also runs alone (-t) or in another order.
 */
async function given(...versions: string[]): Promise<void> {
  const live = parseHistory(instanceHistory(E2E_ENV))
    .filter((record) => record.outcome === "live")
    .map((record) => record.version);
  const served = await servedVersion().catch(() => undefined);
  if (
    served === versions.at(-1) &&
    live.slice(-versions.length).join() === versions.join()
  )
    return;
  for (const version of versions)
    await timed(`given ${version}`, () => deployVariant({ version }));
}

/** Runs `body`, logging how long it took (the report's measured numbers). */
async function timed<T>(label: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await body();
  } finally {
    console.log(
      `[deploy e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

describeWithEngine("deploy on a real engine and the host's Docker", () => {
  beforeAll(removeE2eResources);
  afterAll(removeE2eResources);

  it(
    "deploys a first version, then switches to the next with no failed request",
    () =>
      inEngine(async () => {
        removeE2eResources();
        const first = await timed("first deploy", () =>
          deployVariant({ version: "1.0.0" }),
        );
        console.log(first);
        expect(first).toContain("first version on this target");
        expect(await servedVersion()).toBe("1.0.0");

        const switching = timed("blue-green deploy", () =>
          deployVariant({ version: "2.0.0" }),
        );
        const traffic = await pollWhile(switching);
        const report = await switching;
        console.log(report);
        console.log(
          `[deploy e2e] client during the switch: ${traffic.requests} requests, ${traffic.failures.length} failed, versions ${[...traffic.versions].join(", ")}`,
        );
        expect(traffic.failures).toEqual([]);
        expect(traffic.versions).toEqual(new Set(["1.0.0", "2.0.0"]));
        expect(report).toContain("1.0.0 (blue) removed");
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back automatically when the new version's health check fails",
    () =>
      inEngine(async () => {
        await given("2.0.0");
        const message = await timed("failed health check", () =>
          rejection(deployVariant({ version: "3.0.0", healthStatus: 503 })),
        );
        console.log(message);
        expect(message).toMatch(/gantry-e2e-blue is unhealthy/);
        expect(message).toContain("nothing was switched");
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "switches nothing when the migrations fail, and says so on the webhook, with no --app-env value and no mention that pings",
    () =>
      inEngine(async () => {
        await given("2.0.0");
        const webhook = await startWebhookReceiver();
        // A migration that prints a secret of its env file as it fails, and text chat apps read as a mass mention.
        const token = `tok-${Date.now().toString(36)}-secret`;
        try {
          const message = await rejection(
            deployVariant(
              {
                version: "4.0.0",
                migrate: [
                  "node",
                  "-e",
                  "console.log('connecting with', process.env.API_TOKEN, '@everyone <!channel>'); process.exit(3)",
                ],
              },
              {
                webhookUrl: webhook.url,
                appEnv: `LOG_LEVEL=warn\nAPI_TOKEN=${token}\n`,
              },
            ),
          );
          console.log(message);
          expect(message).toMatch(
            /migrations \(node -e .*\) failed \(exit code 3/,
          );
          expect(message).toContain("connecting with [redacted API_TOKEN]");
          expect(message).toContain("nothing was switched");
          expect(message).toContain("webhook: notified");
          expect(webhook.received).toEqual([
            {
              text: expect.stringContaining("deploy of 4.0.0 to e2e failed"),
              content: expect.stringContaining("nothing was switched"),
              allowed_mentions: { parse: [] },
            },
          ]);
          const [sent] = webhook.received as {
            text: string;
            content: string;
          }[];
          // Neither Slack (escaped <!channel>) nor Discord (a zero-width space after the @) pings anyone.
          expect(sent.text).toContain("@\u200beveryone &lt;!channel&gt;");
          expect(sent.content).toContain("@\u200beveryone <!channel>");
          const history = instanceHistory(E2E_ENV);
          expect(history).toContain("[redacted API_TOKEN]");
          for (const text of [
            message,
            JSON.stringify(webhook.received),
            history,
          ])
            expect(text).not.toContain(token);
          expect(await servedVersion()).toBe("2.0.0");
        } finally {
          await webhook.close();
        }
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back when the error rate breaches the threshold in the watch window",
    () =>
      inEngine(async () => {
        await given("2.0.0");
        const message = await timed("error-rate rollback", () =>
          rejection(deployVariant({ version: "5.0.0", failEvery: 3 })),
        );
        console.log(message);
        expect(message).toMatch(
          /watch window: error rate \d+\.\d% .* above 5\.0%/,
        );
        expect(message).toMatch(
          /traffic back on 2\.0\.0 \(green\) in \d+\.\d s/,
        );
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back on demand to the version live before",
    () =>
      inEngine(async () => {
        await given("1.0.0", "2.0.0");
        const report = await timed("rollback on demand", () =>
          targetOf(gantry, sampleApp({ version: "x" })).rollback(),
        );
        console.log(report);
        expect(report).toContain("rollback of 1.0.0 to e2e succeeded");
        expect(report).toContain(
          "migrations: not run (a rollback never migrates",
        );
        expect(await servedVersion()).toBe("1.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "gives a canary a share of traffic through the watch window, then all of it",
    () =>
      inEngine(async () => {
        await given("1.0.0");
        const switching = timed("canary deploy", () =>
          deployVariant({ version: "6.0.0" }, { canaryPercent: 50 }),
        );
        const traffic = await pollWhile(switching);
        const report = await switching;
        console.log(report);
        console.log(
          `[deploy e2e] client during the canary: ${traffic.requests} requests, ${traffic.failures.length} failed`,
        );
        expect(report).toMatch(
          /watch with 50% canary: the new version answered \d+ requests over \d+ s \(proxy access log\)/,
        );
        expect(traffic.failures).toEqual([]);
        expect(traffic.versions).toEqual(new Set(["1.0.0", "6.0.0"]));
        expect(await servedVersion()).toBe("6.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "deploys a preview on a port Docker picks through DOCKER_HOST=tcp://… with TLS verified both ways (plain tcp refused), destroys it through ssh://… with the host key verified",
    () =>
      inEngine(async () => {
        const [tcp, ssh] = await Promise.all([
          forwardDockerOverTls(),
          startSshTarget(),
        ]);
        try {
          const source = sampleApp({ version: "7.0.0" });
          const overTcp = (tls?: { ca: string; cert: string; key: string }) =>
            targetOf(gantry, source, {
              env: "preview",
              name: E2E_PREVIEW,
              dockerSocket: null,
              dockerHost: dag.setSecret("deploy-e2e-docker-tcp", tcp.url),
              tls: tls && {
                ca: dag.setSecret("deploy-e2e-tls-ca", tls.ca),
                cert: dag.setSecret("deploy-e2e-tls-cert", tls.cert),
                key: dag.setSecret("deploy-e2e-tls-key", tls.key),
              },
            }).deploy(E2E_IMAGE, "7.0.0", "e2e");
          expect(await rejection(overTcp())).toContain(
            "a tcp:// --docker-host needs TLS: pass --docker-tls-ca, --docker-tls-cert and --docker-tls-key",
          );
          expect(tcp.connections()).toBe(0);
          // A daemon whose certificate the given CA did not sign is refused (the CA here is the client's own cert).
          expect(
            await rejection(overTcp({ ca: tcp.client.cert, ...tcp.client })),
          ).toContain("certificate signed by unknown authority");
          const report = await timed("preview deploy", () =>
            overTcp({ ca: tcp.ca, ...tcp.client }),
          );
          console.log(report);
          expect(tcp.connections()).toBeGreaterThan(10);
          const url = /succeeded in .*: (http:\/\/127\.0\.0\.1:\d+)/.exec(
            report,
          )?.[1];
          expect(url).toBeDefined();
          expect(await (await fetch(`${url}/version`)).json()).toEqual({
            version: "7.0.0",
          });

          const overSsh = (knownHosts: string) =>
            targetOf(gantry, source, {
              env: "preview",
              name: E2E_PREVIEW,
              dockerSocket: null,
              dockerHost: dag.setSecret("deploy-e2e-docker-ssh", ssh.url),
              dockerSshKey: dag.setSecret("deploy-e2e-ssh-key", ssh.privateKey),
              dockerKnownHosts: knownHosts,
            }).destroy();
          // Another host key than the target's: ssh refuses before any docker command runs.
          const impostor = ssh.knownHosts.replace(
            /ssh-ed25519 \S+/,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJPclwegzHy1RQmpiz707C1vQWnIddJJP3syRqVVoRgF",
          );
          expect(await rejection(overSsh(impostor))).toContain(
            "Host key verification failed",
          );
          expect(await (await fetch(`${url}/version`)).json()).toEqual({
            version: "7.0.0",
          });
          const destroyed = await overSsh(ssh.knownHosts);
          expect(ssh.acceptedLogins()).toBeGreaterThan(0);
          expect(destroyed).toContain(`gantry-${E2E_PREVIEW_INSTANCE}-proxy`);
          await expect(fetch(`${url}/version`)).rejects.toThrow();
        } finally {
          await Promise.all([tcp.close(), ssh.close()]);
        }
      }),
    TEN_MINUTES,
  );

  it(
    "refuses an unknown environment, missing settings, no daemon and production without --confirm, changing nothing",
    () =>
      inEngine(async () => {
        await given("6.0.0");
        const source = sampleApp({ version: "x" });
        const refusal = (env: string) =>
          rejection(targetOf(gantry, source, { env }).deploy(E2E_IMAGE));
        expect(await refusal("qa")).toContain(
          '--env "qa" is not an environment',
        );
        expect(await refusal("staging")).toContain(
          "environments.staging.port is not set in gantry.config.json",
        );
        expect(await refusal("production")).toContain(
          "a deploy of production requires --confirm",
        );
        expect(
          await rejection(
            targetOf(gantry, source, { dockerSocket: null }).deploy(E2E_IMAGE),
          ),
        ).toContain(
          "the target's Docker daemon is missing: pass --docker-socket /var/run/docker.sock or --docker-host",
        );
        expect(
          await rejection(
            targetOf(gantry, source, {
              dockerSshKey: dag.setSecret("deploy-e2e-stray-key", "not used"),
            }).destroy(),
          ),
        ).toContain(
          "--docker-ssh-key and --docker-known-hosts are for an ssh:// --docker-host, which is missing",
        );
        expect(await servedVersion()).toBe("6.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "refuses to touch an instance another run holds the lock of, naming the holder and how to clear a stale lock",
    () =>
      inEngine(async () => {
        await given("6.0.0");
        const lock = `gantry-${E2E_ENV}-lock`;
        // What a run killed mid-way leaves behind; a live run holds the same lock.
        hostDocker(
          "create",
          "--name",
          lock,
          "--label",
          `gantry.instance=${E2E_ENV}`,
          "--label",
          "gantry.lock.holder=deploy of 9.9.9 to e2e, since 2026-11-23T21:00:00.000Z",
          PROXY_IMAGE,
          "true",
        );
        try {
          const message = await rejection(
            targetOf(gantry, sampleApp({ version: "x" })).rollback(),
          );
          expect(message).toContain(
            `e2e is busy: deploy of 9.9.9 to e2e, since 2026-11-23T21:00:00.000Z holds ${lock}; nothing was changed`,
          );
          expect(message).toContain(`docker rm ${lock}`);
          expect(await servedVersion()).toBe("6.0.0");
          // The history is read under the lock: a locked instance is busy, whatever its history says.
          const previewLock = `gantry-${E2E_PREVIEW_INSTANCE}-lock`;
          hostDocker(
            "create",
            "--name",
            previewLock,
            "--label",
            `gantry.instance=${E2E_PREVIEW_INSTANCE}`,
            "--label",
            "gantry.lock.holder=deploy of 8.0.0 to preview, since 2026-11-23T21:00:00.000Z",
            PROXY_IMAGE,
            "true",
          );
          expect(
            await rejection(
              targetOf(gantry, sampleApp({ version: "x" }), {
                env: "preview",
                name: E2E_PREVIEW,
              }).rollback(),
            ),
          ).toContain(`${E2E_PREVIEW_INSTANCE} is busy: deploy of 8.0.0`);
          expect(
            hostDocker("ps", "--all", "--quiet", "--filter", `name=^${lock}$`),
          ).not.toBe("");
        } finally {
          hostDocker(
            "rm",
            "--force",
            lock,
            `gantry-${E2E_PREVIEW_INSTANCE}-lock`,
          );
        }
      }),
    TEN_MINUTES,
  );

  it(
    "destroys the environment",
    () =>
      inEngine(async () => {
        await given("6.0.0");
        const report = await targetOf(
          gantry,
          sampleApp({ version: "x" }),
        ).destroy();
        expect(report).toContain("gantry-e2e-proxy");
        expect(report).toContain("network gantry-e2e");
        await expect(servedVersion()).rejects.toThrow();
      }),
    TEN_MINUTES,
  );

  it(
    "deploys this repository's service against Postgres on the target from a registry that needs a login, the target pulling with its own credential left in no layer, secrets only as Secrets, keeping its data across a blue-green switch",
    () =>
      inEngine(async () => {
        const started = new Date();
        const [database, registry] = await Promise.all([
          startTargetDatabase(),
          startAuthRegistry(),
        ]);
        try {
          const source = thisRepositoryWithDatabaseEnvironment();
          const appEnv = dag.setSecret(
            "deploy-e2e-app-env",
            `# the service's settings on this target\nDATABASE_URL=${database.url}\nLOG_LEVEL=warn\n`,
          );
          const image = `${AUTH_REGISTRY}/gantry/deploy-e2e-service`;
          const deployService = (
            version: string,
            pullPassword: string,
            from = source,
          ) =>
            timed(`deploy of this repository ${version}`, () =>
              targetOf(gantry, from, { env: E2E_DB_ENV, appEnv }).deploy(
                image,
                version,
                "e2e",
                false,
                0,
                registry.username,
                dag.setSecret("deploy-e2e-registry", registry.password),
                registry.puller.username,
                dag.setSecret(`deploy-e2e-pull-${pullPassword}`, pullPassword),
              ),
            );
          const manifest = (tag: string) =>
            fetch(
              `http://${AUTH_REGISTRY}/v2/gantry/deploy-e2e-service/manifests/${tag}`,
              {
                headers: {
                  authorization: `Basic ${Buffer.from(`${registry.puller.username}:${registry.puller.password}`).toString("base64")}`,
                  accept: [
                    "application/vnd.oci.image.index.v1+json",
                    "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v2+json",
                  ].join(", "),
                },
              },
            ).then((response) => response.status);

          // The target pulls with --pull-password, not the publishing one: a wrong one fails before anything starts.
          expect(
            await rejection(deployService("0.9.0", "not-the-pull-password")),
          ).toMatch(
            /docker pull .* failed .*(unauthorized|authentication required)/is,
          );
          const service = `http://127.0.0.1:${E2E_DB_PORT}`;

          const first = await deployService("1.0.0", registry.puller.password);
          console.log(first);
          expect(first).toMatch(/migrations: node dist\/migrate\.js up in/);
          expect(first).toMatch(/smoke: \/version 200, \/notes 200/);
          expect(
            database.query("SELECT version FROM schema_migrations ORDER BY 1"),
          ).toBe("1\n2");
          // The image went through the login: anonymous reads are refused.
          expect(
            (
              await fetch(
                `http://${AUTH_REGISTRY}/v2/gantry/deploy-e2e-service/manifests/1.0.0`,
              )
            ).status,
          ).toBe(401);
          const created = await fetch(`${service}/notes`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              title: "deployed",
              body: "through the proxy",
            }),
          });
          expect(created.status).toBe(201);

          const second = await deployService("1.1.0", registry.puller.password);
          console.log(second);
          expect(second).toContain("1.0.0 (blue) removed");
          const { notes } = (await (
            await fetch(`${service}/notes`)
          ).json()) as { notes: { title: string }[] };
          expect(notes.map((note) => note.title)).toEqual(["deployed"]);
          const served = (await (await fetch(`${service}/version`)).json()) as {
            version: string;
          };
          expect(served.version).toBe("1.1.0");
          for (const report of [first, second]) {
            expect(report).not.toContain(database.password);
            expect(report).not.toContain(registry.password);
          }

          // Each deploy backed the database up before its migrations and says which backup that is.
          const preDeployBackup = (report: string) =>
            new RegExp(
              `pre-deploy backup (${E2E_DB_ENV}-\\w+) of ${E2E_DB_ENV} stored`,
            ).exec(report)?.[1];
          expect(preDeployBackup(first)).toBeDefined();
          const before110 = preDeployBackup(second)!;
          expect(second).toMatch(
            /pre-deploy backup .*\n\s+PostgreSQL 15\.\d+ .*: \d+ rows in \d+ tables/,
          );
          const titles = async () =>
            (
              (await (await fetch(`${service}/notes`)).json()) as {
                notes: { title: string }[];
              }
            ).notes
              .map((note) => note.title)
              .sort();
          expect(
            (
              await fetch(`${service}/notes`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ title: "after 1.1.0", body: "newer" }),
              })
            ).status,
          ).toBe(201);

          // A migration that fails: the deploy fails before the new version starts, naming the backup it took first.
          const failed = await rejection(
            deployService(
              "1.2.0",
              registry.puller.password,
              source.withNewFile(
                "migrations/003_fails.up.sql",
                "CREATE TABLE made_by_003 (id int);\nSELECT 1 / 0;\n",
              ),
            ),
          );
          console.log(failed);
          expect(failed).toContain(
            "migrations (node dist/migrate.js up) failed",
          );
          const before120 =
            /the database as it was before the migrations is in backup (\S+) /.exec(
              failed,
            )?.[1];
          expect(before120).toBeDefined();
          expect(failed).not.toContain(database.password);

          // That backup is restorable: restore --confirm puts it into the database, the live app stopped meanwhile.
          const databaseTarget = targetOf(gantry, source, {
            env: E2E_DB_ENV,
            appEnv,
          });
          expect(
            await rejection(databaseTarget.restore(false, before120)),
          ).toContain("pass --confirm");
          const restored = await timed("restore of the pre-deploy backup", () =>
            databaseTarget.restore(true, before120),
          );
          console.log(restored);
          expect(restored).toContain(`restored backup ${before120}`);
          expect(restored).toMatch(/safety backup \S+ of e2e-db stored/);
          expect(restored).toMatch(/app: 1\.1\.0 \((blue|green)\) stopped for/);
          expect(restored).toMatch(/smoke: \/version 200, \/notes 200/);
          expect(restored).toContain(
            "row counts per table are the same (rows changed in place since are still lost)",
          );
          expect(await titles()).toEqual(["after 1.1.0", "deployed"]);
          expect(database.query("SELECT to_regclass('made_by_003')")).toBe("");

          // restore --backup: the same backup as a tar from off the target (an export, its offsite copy).
          const tar = join(
            mkdtempSync(join(tmpdir(), "gantry-restore-")),
            "backup.tar",
          );
          writeFileSync(
            tar,
            execFileSync(
              "docker",
              [
                "run",
                "--rm",
                "--volume",
                `${E2E_DB_BACKUPS}:/b:ro`,
                "--entrypoint",
                "cat",
                POSTGRES_FROM_TEST_REGISTRY,
                `/b/${before120}.tar`,
              ],
              { maxBuffer: 1 << 30 },
            ),
          );
          const fromTar = (backupId?: string) =>
            databaseTarget.restore(true, backupId, dag.host().file(tar));
          expect(await rejection(fromTar(before120))).toContain(
            "--backup (a tar) or --backup-id (one on the target), not both",
          );
          await fetch(`${service}/notes`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title: "after the restore", body: "lost" }),
          });
          const restoredFromTar = await timed(
            "restore --backup of that tar",
            () => fromTar(),
          );
          expect(restoredFromTar).toContain(`restored backup ${before120}`);
          expect(await titles()).toEqual(["after 1.1.0", "deployed"]);

          // rollback --restore-database refuses, changing nothing, when the live version's deploy left no backup.
          const volume = (command: string) =>
            hostDocker(
              "run",
              "--rm",
              "--volume",
              `${E2E_DB_BACKUPS}:/b`,
              "--entrypoint",
              "sh",
              POSTGRES_FROM_TEST_REGISTRY,
              "-c",
              command,
            );
          const rollbackWithDatabase = () =>
            databaseTarget.rollback(false, true);
          volume(`mv /b/${before110}.manifest.json /b/${before110}.hidden`);
          const refused = await rejection(rollbackWithDatabase());
          volume(`mv /b/${before110}.hidden /b/${before110}.manifest.json`);
          expect(refused).toContain(
            "--restore-database: the deploy of 1.1.0 left no pre-migration backup",
          );
          expect(refused).toContain("nothing was changed");
          expect(await titles()).toEqual(["after 1.1.0", "deployed"]);

          // With it: back to 1.0.0 and the database as the deploy of 1.1.0 found it, saying what that discards.
          const rolledBack = await timed("rollback --restore-database", () =>
            rollbackWithDatabase(),
          );
          console.log(rolledBack);
          expect(rolledBack).toContain(`restored backup ${before110}`);
          expect(rolledBack).toContain(
            "public.notes: 2 rows now, 1 in the backup (1 newer rows discarded)",
          );
          expect(rolledBack).not.toContain(database.password);
          expect(
            (
              (await (await fetch(`${service}/version`)).json()) as {
                version: string;
              }
            ).version,
          ).toBe("1.0.0");
          expect(await titles()).toEqual(["deployed"]);
          // A deploy's tag can never be a release's: 1.0.0 stays free for the release of 1.0.0.
          expect(await manifest("deploy-e2e-db_1.0.0")).toBe(200);
          expect(await manifest("1.0.0")).toBe(404);
          // No snapshot the engine keeps holds a registry login (docker login writes base64(user:password)).
          const logins = [registry, registry.puller].flatMap(
            ({ username, password }) => [
              password,
              Buffer.from(`${username}:${password}`).toString("base64"),
            ],
          );
          logins.push(database.password);
          expect(engineFilesHolding(started, logins)).toEqual([]);
        } finally {
          await registry.close();
        }
      }),
    // Five deploys, a restore and a rollback with a database restore.
    3 * TEN_MINUTES,
  );

  it(
    "refuses an environment whose configured network is missing on the target, before building anything",
    () =>
      inEngine(async () => {
        const source = sampleApp({ version: "x" }).withNewFile(
          "gantry.config.json",
          JSON.stringify({
            environments: {
              [E2E_DB_ENV]: {
                port: E2E_DB_PORT,
                networks: ["gantry-e2e-no-such-network"],
              },
            },
          }),
        );
        const message = await rejection(
          targetOf(gantry, source, { env: E2E_DB_ENV }).deploy(E2E_IMAGE),
        );
        expect(message).toContain(
          `environments.${E2E_DB_ENV}.networks: not every network exists on the target`,
        );
        expect(message).toContain("gantry-e2e-no-such-network");
        expect(message).toContain("nothing was changed");
      }),
    TEN_MINUTES,
  );
});
