import type { Container, Secret } from "@dagger.io/dagger";
import { uncached } from "../workspace.js";
import { run } from "./exec.js";

/** One JSON request; without `url`, the URL is read from the REQUEST_URL secret variable (a webhook URL is a credential). */
export interface HttpRequest {
  method: "GET" | "POST";
  url?: string;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  body: string;
}

// Runs in the configured Node image (fetch is built in); secrets arrive only as environment variables.
const SEND_REQUEST = `
const { method, url, body } = JSON.parse(process.env.GANTRY_REQUEST);
const headers = { "content-type": "application/json", "user-agent": "gantry-release" };
if (process.env.GITHUB_TOKEN) {
  headers.authorization = "Bearer " + process.env.GITHUB_TOKEN;
  headers.accept = "application/vnd.github+json";
  headers["x-github-api-version"] = "2022-11-28";
}
const response = await fetch(url ?? process.env.REQUEST_URL, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
process.stdout.write(JSON.stringify({ status: response.status, body: await response.text() }));
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

/** `client` authenticating its requests to the GitHub API with `token`. */
export function withGithubToken(client: Container, token: Secret): Container {
  return client.withSecretVariable("GITHUB_TOKEN", token);
}

/** `client` sending its URL-less requests to the URL held by `url`. */
export function withSecretUrl(client: Container, url: Secret): Container {
  return client.withSecretVariable("REQUEST_URL", url);
}
