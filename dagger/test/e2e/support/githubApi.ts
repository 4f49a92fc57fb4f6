import type { IncomingMessage } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestCertificate } from "./releaseFixture.js";

/** A request the stand-in received. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/**
 * The one stand-in of the release e2e: GitHub is unreachable here, so this records the REST calls and answers like
 * the two endpoints the release uses (GET /repos/{o}/{r}/releases/tags/{tag}, POST /repos/{o}/{r}/releases).
 * It also takes webhook posts on /hooks/…, which, like Slack's, authenticate by their secret URL alone.
 */
export interface GithubApiStandIn {
  port: number;
  requests: RecordedRequest[];
  /** Tags that have a release. */
  releases: Set<string>;
  /** Answer the next release creation with a 500, as a GitHub outage would. */
  failNextCreate: boolean;
  close(): Promise<void>;
}

/** Starts the stand-in over HTTPS on a free 127.0.0.1 port; requests without `Authorization: Bearer <token>` get a 401. */
export async function startGithubApi(
  token: string,
  certificate: TestCertificate,
): Promise<GithubApiStandIn> {
  const api: Omit<GithubApiStandIn, "port" | "close"> = {
    requests: [],
    releases: new Set(),
    failNextCreate: false,
  };
  const server = createServer(certificate, async (request, response) => {
    const text = await readBody(request);
    const recorded = {
      method: request.method ?? "",
      path: request.url ?? "",
      authorization: request.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    };
    api.requests.push(recorded);
    const reply = (status: number, body: unknown) =>
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify(body));
    if (request.method === "POST" && recorded.path.startsWith("/hooks/"))
      return reply(200, { ok: true });
    if (recorded.authorization !== `Bearer ${token}`)
      return reply(401, { message: "Bad credentials" });

    const byTag = /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/([^/]+)$/.exec(
      recorded.path,
    );
    if (request.method === "GET" && byTag) {
      const tag = decodeURIComponent(byTag[3]);
      return api.releases.has(tag)
        ? reply(200, release(byTag[1], byTag[2], tag))
        : reply(404, { message: "Not Found" });
    }
    const create = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(recorded.path);
    if (request.method === "POST" && create) {
      if (api.failNextCreate) {
        api.failNextCreate = false;
        return reply(500, { message: "Server Error" });
      }
      const { tag_name: tag } = recorded.body as { tag_name: string };
      api.releases.add(tag);
      return reply(201, release(create[1], create[2], tag));
    }
    reply(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(api, {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function release(owner: string, name: string, tag: string) {
  return {
    tag_name: tag,
    html_url: `https://github.test/${owner}/${name}/releases/tag/${tag}`,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
