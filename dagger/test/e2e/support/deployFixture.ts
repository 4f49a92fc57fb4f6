import {
  dag,
  type Directory,
  type Secret,
  type Socket,
} from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import type { Gantry } from "../../../src/index.js";
import { hostRepository, SAMPLE_APP, THIS_REPOSITORY } from "../engine.js";

/** The environment the tests deploy to: configured in the fixture, so nothing named staging on this host is touched. */
export const E2E_ENV = "e2e";
export const E2E_PREVIEW = "e2e-7";
/** The instance --env preview --name e2e-7 names: `--` is in no environment's name. */
export const E2E_PREVIEW_INSTANCE = `preview--${E2E_PREVIEW}`;
export const E2E_PORT = 18481;
/** The test registry (plain HTTP): Dagger publishes there and the host's Docker pulls from it. */
export const E2E_IMAGE = "127.0.0.1:5000/gantry/deploy-e2e";
export const dockerSocket = () => dag.host().unixSocket("/var/run/docker.sock");

/** A test's target; anything not given is left out, but the socket defaults to the host's Docker (`null`: none). */
export interface TargetOptions {
  env?: string;
  name?: string;
  appEnv?: Secret;
  dockerSocket?: Socket | null;
  dockerHost?: Secret;
  dockerSshKey?: Secret;
  dockerKnownHosts?: string;
  tls?: { ca: Secret; cert: Secret; key: Secret };
}

/** `gantry.target(...)` for `source`, by default the e2e environment on the host's Docker. */
export function targetOf(
  gantry: Gantry,
  source: Directory,
  options: TargetOptions = {},
) {
  const socket =
    options.dockerSocket === undefined ? dockerSocket() : options.dockerSocket;
  return gantry.target(
    options.env ?? E2E_ENV,
    source,
    options.name,
    options.appEnv,
    socket ?? undefined,
    options.dockerHost,
    options.dockerSshKey,
    options.dockerKnownHosts,
    options.tls?.ca,
    options.tls?.cert,
    options.tls?.key,
  );
}

// The host's Docker has no Docker Hub access: it pulls the proxy and Postgres from the test registry.
export const PROXY_IMAGE = "127.0.0.1:5000/library/nginx:1.22-bookworm";
const PROXY_FROM_TEST_REGISTRY = { proxy: PROXY_IMAGE };
export const POSTGRES_FROM_TEST_REGISTRY =
  "127.0.0.1:5000/library/postgres:15-bookworm";
/** The images a deploy with a database runs on the target (the pre-migration backup's psql, pg_dump and age). */
const DATABASE_IMAGES_FROM_TEST_REGISTRY = {
  images: {
    ...PROXY_FROM_TEST_REGISTRY,
    postgres: POSTGRES_FROM_TEST_REGISTRY,
    age: "127.0.0.1:5000/filosottile/age:v1.2.1",
  },
  backup: { clientImage: "127.0.0.1:5000/library/postgres:{major}-bookworm" },
};

/** The environment this repository's own service is deployed to, against a Postgres container on the target. */
export const E2E_DB_ENV = "e2e-db";
export const E2E_DB_PORT = E2E_PORT + 2;
/** Instance label of the database the e2e-db environment uses; it is not part of any deploy. */
const DATABASE_INSTANCE = "e2e-database";
const DATABASE_NETWORK = "gantry-e2e-database";
const DATABASE_CONTAINER = "gantry-e2e-database-postgres";

/** How a sample-app variant behaves. */
export interface Variant {
  version: string;
  /** Status of GET /healthz (the image's HEALTHCHECK calls it). */
  healthStatus?: number;
  /** Every Nth request to another path answers 500. */
  failEvery?: number;
  migrate?: string[];
}

/** The sample app whose GET / answers `{"version": …}`, configured with the e2e environment. */
export function sampleApp(variant: Variant): Directory {
  const config = {
    environments: {
      [E2E_ENV]: {
        port: E2E_PORT,
        watchSeconds: 5,
        healthTimeoutSeconds: 90,
        smokePaths: ["/version"],
        rollback: { maxErrorRate: 0.05, p95Ms: 1000, maxHealthFailures: 3 },
      },
      preview: { watchSeconds: 2 },
      production: { port: E2E_PORT + 1 },
    },
    images: PROXY_FROM_TEST_REGISTRY,
    app: { migrate: variant.migrate ?? null },
  };
  const server = `import { createServer } from "node:http";

let served = 0;
const server = createServer((request, response) => {
  if (request.url === "/healthz") {
    response.writeHead(${variant.healthStatus ?? 200}).end();
    return;
  }
  served += 1;
  const failing = ${variant.failEvery ?? 0} > 0 && served % ${variant.failEvery ?? 1} === 0;
  response
    .writeHead(failing ? 500 : 200, { "content-type": "application/json" })
    .end(JSON.stringify({ version: "${variant.version}" }));
});

server.listen(Number(process.env.PORT ?? 3000));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;
  return hostRepository(SAMPLE_APP)
    .withNewFile("gantry.config.json", JSON.stringify(config))
    .withNewFile("src/server.ts", server);
}

/** GET /version through the proxy on a fresh connection: the version serving, or the failure. */
export function servedVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: E2E_PORT,
        path: "/version",
        agent: false,
        timeout: 5000,
      },
      (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () =>
          response.statusCode === 200
            ? resolve((JSON.parse(body) as { version: string }).version)
            : reject(new Error(`status ${response.statusCode}`)),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** Polls the proxy until `done` settles (at most `maxRequests`), counting failed requests and versions seen. */
export async function pollWhile(
  done: Promise<unknown>,
  maxRequests = 5000,
): Promise<{ requests: number; failures: string[]; versions: Set<string> }> {
  let settled = false;
  void done.finally(() => (settled = true)).catch(() => undefined);
  const failures: string[] = [];
  const versions = new Set<string>();
  let requests = 0;
  while (!settled && requests < maxRequests) {
    requests += 1;
    await servedVersion().then(
      (version) => versions.add(version),
      (error: Error) => failures.push(error.message),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { requests, failures, versions };
}

/** `docker args…` on this host: its trimmed stdout. */
export function hostDocker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8" }).trim();
}

/** Removes whatever the tests left on the host's Docker, whatever state a failed test left it in. */
export function removeE2eResources(): void {
  // The database goes last: the e2e-db app containers are on its network.
  const instances = [
    E2E_ENV,
    E2E_PREVIEW_INSTANCE,
    E2E_DB_ENV,
    DATABASE_INSTANCE,
  ];
  const kinds = [
    ["ps", "--all"],
    ["network", "ls"],
    ["volume", "ls"],
  ];
  for (const instance of instances) {
    for (const kind of kinds) {
      const ids = hostDocker(
        ...kind,
        "--quiet",
        "--filter",
        `label=gantry.instance=${instance}`,
      )
        .split("\n")
        .filter(Boolean);
      if (ids.length === 0) continue;
      const remove =
        kind[0] === "ps" ? ["rm", "--force"] : [kind[0], "rm", "--force"];
      hostDocker(...remove, ...ids);
    }
  }
  // Labelled gantry.backups=<instance>, not gantry.instance: destroy keeps backups.
  hostDocker("volume", "rm", "--force", E2E_DB_BACKUPS);
}

/** This host's address on the engine's bridge (dagger0): how Dagger containers reach a server on this host. */
export function engineBridgeAddress(): string {
  const bridge = networkInterfaces().dagger0?.find(
    (address) => address.family === "IPv4",
  );
  if (!bridge) throw new Error("no dagger0 bridge: is the test engine up?");
  return bridge.address;
}

/** A certificate and its private key, PEM. */
export interface KeyPair {
  cert: string;
  key: string;
}

/**
 * This host's Docker daemon on TCP with TLS, listening only on the engine's bridge, as a remote target's
 * `DOCKER_HOST=tcp://…` with `--tlsverify` would be: its certificate signed by a CA made for the test, and only
 * clients with a certificate of that CA let through. Counts the connections it let through.
 */
export async function forwardDockerOverTls(): Promise<{
  url: string;
  ca: string;
  client: KeyPair;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const bridge = engineBridgeAddress();
  const { ca, server: serverPair, client } = testCertificates(bridge);
  let connections = 0;
  // Half-open both ways, as dockerd's own TCP listener is: `docker run` closes its sending side after the request
  // and still reads the container's output.
  const server = createTlsServer(
    {
      ...serverPair,
      ca,
      requestCert: true,
      rejectUnauthorized: true,
      allowHalfOpen: true,
    },
    (tlsClient) => {
      connections += 1;
      const daemon = connect({
        path: "/var/run/docker.sock",
        allowHalfOpen: true,
      });
      tlsClient.pipe(daemon).pipe(tlsClient);
      tlsClient.on("error", () => daemon.destroy());
      daemon.on("error", () => tlsClient.destroy());
    },
  );
  await new Promise<void>((resolve) => server.listen(0, bridge, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://${bridge}:${port}`,
    ca,
    client,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A CA, a server certificate for `ip` and a client certificate it signed, made with openssl for one test. */
function testCertificates(ip: string): {
  ca: string;
  server: KeyPair;
  client: KeyPair;
} {
  const dir = mkdtempSync(join(tmpdir(), "gantry-docker-tls-"));
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const newKey = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
  ];
  try {
    openssl(
      "req",
      "-x509",
      ...newKey,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "1",
      "-subj",
      "/CN=gantry-e2e-ca",
    );
    const signed = (name: string, extensions: string): KeyPair => {
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl(
        "req",
        ...newKey,
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.csr`,
        "-subj",
        `/CN=gantry-e2e-${name}`,
      );
      openssl(
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        `${name}.pem`,
        "-extfile",
        `${name}.ext`,
      );
      return {
        cert: readFileSync(join(dir, `${name}.pem`), "utf8"),
        key: readFileSync(join(dir, `${name}.key`), "utf8"),
      };
    };
    return {
      ca: readFileSync(join(dir, "ca.pem"), "utf8"),
      server: signed(
        "server",
        `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`,
      ),
      client: signed("client", "extendedKeyUsage=clientAuth\n"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The deploy history an instance keeps on this host's Docker, as the file reads (empty when there is none). */
export function instanceHistory(instance: string): string {
  return hostDocker(
    "run",
    "--rm",
    "--volume",
    `gantry-${instance}-history:/history`,
    "--entrypoint",
    "sh",
    PROXY_IMAGE,
    "-c",
    "cat /history/deploys.json 2>/dev/null || true",
  );
}

/**
 * Files the test engine wrote since `since` (its snapshots: layers, exec outputs) that contain one of `needles`:
 * how a test proves a credential was left in no layer.
 */
export function engineFilesHolding(since: Date, needles: string[]): string[] {
  const found = execFileSync(
    "docker",
    [
      "exec",
      "gantry-dagger-engine",
      "sh",
      "-c",
      'since=$1; shift; find /var/lib/dagger/worker -xdev -type f -newermt "@$since" -size -10M -print0 | xargs -0 -r grep -l -F "$@" || true',
      "sh",
      String(Math.floor(since.getTime() / 1000) - 1),
      ...needles.flatMap((needle) => ["-e", needle]),
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  return found.split("\n").filter(Boolean);
}

/** An incoming-webhook stand-in on this host, reached from Dagger containers through the engine's bridge (dagger0, see test/engine/README.md). */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: unknown[];
  close: () => Promise<void>;
}> {
  const bridge = engineBridgeAddress();
  const received: unknown[] = [];
  const server = createServer((req, response) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${bridge}:${port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The backups volume of the e2e-db instance (BackupStore's name). */
export const E2E_DB_BACKUPS = `gantry-${E2E_DB_ENV}-backups`;

/** This repository, its config given the e2e-db environment, whose app joins the database's network. */
export function thisRepositoryWithDatabaseEnvironment(): Directory {
  const config = JSON.parse(
    readFileSync(`${THIS_REPOSITORY}/gantry.config.json`, "utf8"),
  ) as Record<string, unknown>;
  const environment = {
    port: E2E_DB_PORT,
    watchSeconds: 3,
    healthTimeoutSeconds: 90,
    smokePaths: ["/version", "/notes"],
    networks: [DATABASE_NETWORK],
  };
  return hostRepository(THIS_REPOSITORY).withNewFile(
    "gantry.config.json",
    JSON.stringify({
      ...config,
      ...DATABASE_IMAGES_FROM_TEST_REGISTRY,
      environments: { [E2E_DB_ENV]: environment },
    }),
  );
}

/** A Postgres container on the host's Docker, on a network of its own, as a team would run the service's database. */
export interface TargetDatabase {
  /** DATABASE_URL as the app containers reach it. */
  url: string;
  password: string;
  /** Runs SQL as the app's user and returns psql's unaligned output. */
  query(sql: string): string;
}

/** Starts the database and waits until it accepts TCP connections (the official image's init server does not). */
export async function startTargetDatabase(): Promise<TargetDatabase> {
  const password = randomBytes(12).toString("hex");
  const label = `gantry.instance=${DATABASE_INSTANCE}`;
  hostDocker("network", "create", "--label", label, DATABASE_NETWORK);
  hostDocker(
    "run",
    "--detach",
    "--name",
    DATABASE_CONTAINER,
    "--label",
    label,
    "--network",
    DATABASE_NETWORK,
    "--env",
    "POSTGRES_USER=gantry",
    "--env",
    "POSTGRES_DB=gantry",
    "--env",
    `POSTGRES_PASSWORD=${password}`,
    POSTGRES_FROM_TEST_REGISTRY,
  );
  const query = (sql: string) =>
    hostDocker(
      "exec",
      "--env",
      `PGPASSWORD=${password}`,
      DATABASE_CONTAINER,
      "psql",
      "--host=127.0.0.1",
      "--username=gantry",
      "--dbname=gantry",
      "--no-align",
      "--tuples-only",
      "--command",
      sql,
    );
  await untilAnswers(() => query("SELECT 1"));
  return {
    url: `postgres://gantry:${password}@${DATABASE_CONTAINER}:5432/gantry`,
    password,
    query,
  };
}

/** Retries `probe` once a second until it stops throwing (a database still starting), for up to a minute. */
export async function untilAnswers(probe: () => unknown): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      probe();
      return;
    } catch (error) {
      if (attempt === 60) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
