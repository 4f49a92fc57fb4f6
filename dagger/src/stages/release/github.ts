import type { Container, Secret } from "@dagger.io/dagger";
import {
  releaseRequestBody,
  type ReleaseEndpoints,
} from "../../core/release/github.js";
import type { ReleasePlan } from "../../core/release/plan.js";
import {
  send,
  withBearerToken,
  type HttpRequest,
  type HttpResponse,
} from "../http.js";

const GITHUB_HEADERS = {
  accept: "application/vnd.github+json",
  "x-github-api-version": "2022-11-28",
};

/** The GitHub REST API for the release of one tag: look it up, create it. */
export class GithubReleases {
  constructor(
    private readonly client: Container,
    private readonly endpoints: ReleaseEndpoints,
  ) {}

  /** The release's page, or null when the tag has no release yet. */
  async find(token: Secret): Promise<string | null> {
    const response = await this.call(
      token,
      { method: "GET", url: this.endpoints.byTag },
      "GitHub release lookup",
    );
    if (response.status === 404) return null;
    return releaseUrl(response, 200, "looking up the release");
  }

  /** Creates the release of `plan`; returns its page. */
  async create(token: Secret, plan: ReleasePlan): Promise<string> {
    const response = await this.call(
      token,
      {
        method: "POST",
        url: this.endpoints.create,
        body: releaseRequestBody(plan),
      },
      "GitHub release creation",
    );
    return releaseUrl(response, 201, "creating the release");
  }

  private call(
    token: Secret,
    request: HttpRequest,
    what: string,
  ): Promise<HttpResponse> {
    return send(
      withBearerToken(this.client, token),
      { ...request, headers: GITHUB_HEADERS },
      what,
    );
  }
}

/** The html_url of the release in a response that has to have `status`. */
function releaseUrl(
  response: HttpResponse,
  status: number,
  what: string,
): string {
  if (response.status !== status)
    throw new Error(
      `GitHub API answered ${response.status} ${what}: ${response.body.slice(0, 500)}`,
    );
  return (JSON.parse(response.body) as { html_url: string }).html_url;
}
