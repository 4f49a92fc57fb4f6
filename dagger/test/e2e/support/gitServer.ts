import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { TestCertificate } from "./releaseFixture.js";

/** Path prefix under which the fixture's git hooks report what they could see (see releaseFixture.ts). */
export const HOOK_REPORT_PATH = "/_hooks/";

/**
 * A git smart-HTTPS server over the bare repositories under `root`: `git http-backend` behind a Basic-auth check, as
 * GitHub takes a token.
 */
export interface GitServer {
  port: number;
  /** Requests turned away for a wrong Authorization header. */
  rejected: number;
  /** Requests without an Authorization header, answered with the 401 challenge after which git sends its credentials. */
  challenged: number;
  /** What each hook run reported (HOOK_REPORT_PATH), decoded, in the order received. */
  hookReports: string[];
  close(): Promise<void>;
}

/** Serves `root` over HTTPS on a free 127.0.0.1 port, accepting only `Authorization: Basic base64(x-access-token:<token>)`. */
export async function startGitServer(
  root: string,
  token: string,
  certificate: TestCertificate,
): Promise<GitServer> {
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const state = { rejected: 0, challenged: 0, hookReports: [] as string[] };
  const server = createServer(certificate, (request, response) => {
    if (request.url?.startsWith(HOOK_REPORT_PATH)) {
      const encoded = request.url.slice(HOOK_REPORT_PATH.length).split("/")[0];
      state.hookReports.push(
        gunzipSync(Buffer.from(encoded, "base64url")).toString(),
      );
      response.writeHead(404).end();
      return;
    }
    if (request.headers.authorization !== expected) {
      if (request.headers.authorization === undefined) state.challenged++;
      else state.rejected++;
      response
        .writeHead(401, { "WWW-Authenticate": 'Basic realm="gantry-e2e"' })
        .end();
      return;
    }
    httpBackend(root, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get rejected() {
      return state.rejected;
    },
    get challenged() {
      return state.challenged;
    },
    hookReports: state.hookReports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs `git http-backend` as the CGI program it is: request metadata in the environment, body on stdin, headers then body on stdout. */
function httpBackend(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? "/", "http://git.test");
  const backend = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      // http-backend only accepts pushes from an authenticated user.
      REMOTE_USER: "x-access-token",
      REQUEST_METHOD: request.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: request.headers["content-encoding"] ?? "",
      HTTP_GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
    },
  });
  request.pipe(backend.stdin);
  const output: Buffer[] = [];
  backend.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  backend.on("close", () => {
    const raw = Buffer.concat(output);
    const end = raw.indexOf("\r\n\r\n");
    const headers = raw.subarray(0, end).toString().split("\r\n");
    let status = 200;
    for (const header of headers) {
      const [name, ...value] = header.split(":");
      if (name.toLowerCase() === "status")
        status = Number.parseInt(value.join(":").trim(), 10);
      else response.setHeader(name, value.join(":").trim());
    }
    response.writeHead(status).end(raw.subarray(end + 4));
  });
}
