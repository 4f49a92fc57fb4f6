import { dag, type Directory } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { hostRepository, SAMPLE_APP } from "../engine.js";

/** The environment the tests deploy to: configured in the fixture, so nothing named staging on this host is touched. */
export const E2E_ENV = "e2e";
export const E2E_PREVIEW = "e2e-7";
export const E2E_PORT = 18481;
/** The test registry (plain HTTP): Dagger publishes there and the host's Docker pulls from it. */
export const E2E_IMAGE = "127.0.0.1:5000/gantry/deploy-e2e";
export const dockerSocket = () => dag.host().unixSocket("/var/run/docker.sock");

// The host's Docker has no Docker Hub access: it pulls the proxy from the test registry.
const PROXY_FROM_TEST_REGISTRY = {
  proxyImage: "127.0.0.1:5000/library/nginx:1.22-bookworm",
};

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
        ...PROXY_FROM_TEST_REGISTRY,
        rollback: { maxErrorRate: 0.05, p95Ms: 1000, maxHealthFailures: 3 },
      },
      preview: { ...PROXY_FROM_TEST_REGISTRY, watchSeconds: 2 },
      production: { ...PROXY_FROM_TEST_REGISTRY, port: E2E_PORT + 1 },
    },
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

/** Removes whatever the tests left on the host's Docker, whatever state a failed test left it in. */
export function removeE2eResources(): void {
  const docker = (...args: string[]) =>
    execFileSync("docker", args, { encoding: "utf8" }).trim();
  const instances = [E2E_ENV, `preview-${E2E_PREVIEW}`];
  const kinds = [
    ["ps", "--all"],
    ["network", "ls"],
    ["volume", "ls"],
  ];
  for (const instance of instances) {
    for (const kind of kinds) {
      const ids = docker(
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
      docker(...remove, ...ids);
    }
  }
}

/** An incoming-webhook stand-in on this host, reached from Dagger containers through the engine's bridge (dagger0, see test/engine/README.md). */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: unknown[];
  close: () => Promise<void>;
}> {
  const bridge = networkInterfaces().dagger0?.find(
    (address) => address.family === "IPv4",
  );
  if (!bridge) throw new Error("no dagger0 bridge: is the test engine up?");
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
    url: `http://${bridge.address}:${port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
