import { ReleaseInputError } from "./errors.js";
import type { ReleasePlan } from "./plan.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
// Discord rejects longer messages; Slack accepts far more.
const WEBHOOK_MESSAGE_LIMIT = 2000;

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
  let base: URL;
  try {
    base = new URL(apiUrl);
  } catch {
    throw new ReleaseInputError(
      `--github-api-url must be an absolute URL such as ${DEFAULT_GITHUB_API_URL}, got "${apiUrl}"`,
    );
  }
  const [owner, name] = repository.split("/").map(encodeURIComponent);
  const releases = `${base.href.replace(/\/+$/, "")}/repos/${owner}/${name}/releases`;
  return {
    byTag: `${releases}/tags/${encodeURIComponent(tag)}`,
    create: releases,
    hostname: base.hostname,
  };
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

/** A message both Slack (`text`) and Discord (`content`) incoming webhooks accept. */
export function webhookPayload(
  repository: string,
  plan: ReleasePlan,
  releaseUrl: string | null,
) {
  const heading = `${repository} ${plan.tag} released${releaseUrl ? `: ${releaseUrl}` : ""}`;
  const message = `${heading}\n\n${plan.notes}`.trim();
  const text =
    message.length > WEBHOOK_MESSAGE_LIMIT
      ? `${message.slice(0, WEBHOOK_MESSAGE_LIMIT - 1)}…`
      : message;
  return { text, content: text };
}
