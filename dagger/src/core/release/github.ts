import { InputError } from "../inputError.js";
import type { ReleasePlan } from "./plan.js";
import { withoutCredentials } from "./remote.js";
import { parseRepository } from "./repository.js";
import { webhookBody } from "../webhook.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** The GitHub REST endpoints of one release. */
export interface ReleaseEndpoints {
  /** GET: the release of a tag, 404 when there is none. */
  byTag: string;
  /** POST: creates a release. */
  create: string;
  /** Host name of the API, under which a tunnel to it is bound. */
  hostname: string;
}

/** Endpoints for `tag` of `owner/name` on the API at `apiUrl` (GitHub or GitHub Enterprise's `https://host/api/v3`). */
export function releaseEndpoints(
  apiUrl: string,
  repository: string,
  tag: string,
): ReleaseEndpoints {
  const base = parseApiUrl(apiUrl, { withToken: false });
  const [owner, name] = parseRepository(repository, "repository").map(
    encodeURIComponent,
  );
  const releases = `${base.href.replace(/\/+$/, "")}/repos/${owner}/${name}/releases`;
  return {
    byTag: `${releases}/tags/${encodeURIComponent(tag)}`,
    create: releases,
    hostname: base.hostname,
  };
}

/**
 * `--github-api-url` as a URL; with a token, only https://, since the token goes in every request's Authorization
 * header. The URL is shown without credentials when it is refused.
 */
export function parseApiUrl(
  apiUrl: string,
  { withToken }: { withToken: boolean },
): URL {
  let base: URL;
  try {
    base = new URL(apiUrl);
  } catch {
    throw new InputError(
      `--github-api-url must be an absolute URL such as ${DEFAULT_GITHUB_API_URL}, got "${withoutCredentials(apiUrl)}"`,
    );
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new InputError(
      `--github-api-url must be an https:// URL such as ${DEFAULT_GITHUB_API_URL}, got "${withoutCredentials(apiUrl)}"`,
    );
  }
  if (base.protocol === "http:" && withToken) {
    throw new InputError(
      `--github-api-url "${withoutCredentials(apiUrl)}" is plain http://, over which --github-token would travel in clear: use https://`,
    );
  }
  return base;
}

/** Body of POST /repos/{owner}/{repo}/releases; the tag is pushed first, so it needs no target commit. */
export function releaseRequestBody(plan: ReleasePlan) {
  return {
    tag_name: plan.tag,
    name: plan.tag,
    body: plan.notes,
    prerelease: plan.isPrerelease,
  };
}

/** The release's announcement: its tag, the GitHub release's URL when there is one, and its notes. */
export function webhookPayload(
  repository: string,
  plan: ReleasePlan,
  releaseUrl: string | null,
) {
  const heading = `${repository} ${plan.tag} released${releaseUrl ? `: ${releaseUrl}` : ""}`;
  return webhookBody(`${heading}\n\n${plan.notes}`.trim());
}
