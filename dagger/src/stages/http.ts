import type { Container, File, Secret } from "@dagger.io/dagger";
import { run } from "./exec.js";
import { uncached } from "./workspace.js";

/** One JSON request; without `url`, the URL is read from the REQUEST_URL secret variable (a webhook URL is a credential). */
export interface HttpRequest {
  method: "GET" | "POST";
  url?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** A 2xx status: fetch's own `Response.ok`, the one definition of an HTTP success here. */
  ok: boolean;
  body: string;
}

// Runs in the configured Node image (fetch is built in); secrets arrive only as environment variables.
const SEND_REQUEST = `
const { method, url, headers, body } = JSON.parse(process.env.GANTRY_REQUEST);
const sent = { "content-type": "application/json", "user-agent": "gantry", ...headers };
if (process.env.REQUEST_TOKEN) sent.authorization = "Bearer " + process.env.REQUEST_TOKEN;
const response = await fetch(url ?? process.env.REQUEST_URL, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
process.stdout.write(JSON.stringify({ status: response.status, ok: response.ok, body: await response.text() }));
`;

/** The request's response, whatever its status; fails only when no response came back (DNS, TLS, connection). */
export async function send(
  client: Container,
  request: HttpRequest,
  what: string,
): Promise<HttpResponse> {
  const sender = uncached(client).withEnvVariable(
    "GANTRY_REQUEST",
    JSON.stringify(request),
  );
  const { stdout } = await run(
    sender,
    ["node", "--input-type=module", "--eval", SEND_REQUEST],
    what,
  );
  return JSON.parse(stdout) as HttpResponse;
}

/** `client` sending `token` as the Bearer token of its requests. */
export function withBearerToken(client: Container, token: Secret): Container {
  return client.withSecretVariable("REQUEST_TOKEN", token);
}

/** `client` sending its URL-less requests to the URL held by `url`. */
export function withSecretUrl(client: Container, url: Secret): Container {
  return client.withSecretVariable("REQUEST_URL", url);
}

// Where the extra certificate and the CAs Node already trusted are put together in the Node image.
const CERTIFICATE_FILE = "/etc/gantry/ca-certificate.pem";
const NODE_CA_FILE = "/etc/gantry/node-extra-ca.pem";

/** `client` (a Node container) trusting `certificate` too, besides the bundle nodeBase may have pointed it at. */
export function trustCertificate(certificate: File | undefined) {
  return (client: Container) =>
    certificate
      ? client
          .withFile(CERTIFICATE_FILE, certificate)
          .withExec([
            "sh",
            "-c",
            'cat ${NODE_EXTRA_CA_CERTS:-} "$1" > "$2"',
            "sh",
            CERTIFICATE_FILE,
            NODE_CA_FILE,
          ])
          .withEnvVariable("NODE_EXTRA_CA_CERTS", NODE_CA_FILE)
      : client;
}
