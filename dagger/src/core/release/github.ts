import { ReleaseInputError } from "./errors.js";
import type { ReleasePlan } from "./plan.js";
import { withoutCredentials } from "./remote.js";
import { parseRepository } from "./repository.js";

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
    throw new ReleaseInputError(
      `--github-api-url must be an absolute URL such as ${DEFAULT_GITHUB_API_URL}, got "${withoutCredentials(apiUrl)}"`,
    );
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new ReleaseInputError(
      `--github-api-url must be an https:// URL such as ${DEFAULT_GITHUB_API_URL}, got "${withoutCredentials(apiUrl)}"`,
    );
  }
  if (base.protocol === "http:" && withToken) {
    throw new ReleaseInputError(
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

/**
 * A message both Slack (`text`) and Discord (`content`) incoming webhooks accept. The notes are commit subjects anyone
 * who lands a commit writes, so nothing in them may notify a whole channel: @everyone, @here and @channel get a
 * zero-width space after the @, Slack's control characters (&, <, >, hence <!channel>, <!here>, <@U…>) are escaped as
 * Slack documents, and Discord is told to resolve no mention at all.
 */
export function webhookPayload(
  repository: string,
  plan: ReleasePlan,
  releaseUrl: string | null,
) {
  const heading = `${repository} ${plan.tag} released${releaseUrl ? `: ${releaseUrl}` : ""}`;
  const message = neutralizeMentions(`${heading}\n\n${plan.notes}`.trim());
  return {
    text: truncate(escapeSlack(message)),
    content: truncate(message),
    allowed_mentions: { parse: [] },
  };
}

// A zero-width space after the @ keeps the word readable and makes it no mention for Slack or Discord.
const BROADCAST_MENTION = /@(everyone|here|channel)\b/gi;

/** `text` with every @everyone, @here and @channel turned into plain text. */
export function neutralizeMentions(text: string): string {
  return text.replace(BROADCAST_MENTION, "@\u200b$1");
}

/** `text` in Slack's message format, where &, < and > are control characters (`<!channel>` pings a channel). */
export function escapeSlack(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/** At most WEBHOOK_MESSAGE_LIMIT characters, never ending inside an escape such as `&amp;`. */
function truncate(text: string): string {
  if (text.length <= WEBHOOK_MESSAGE_LIMIT) return text;
  return `${text.slice(0, WEBHOOK_MESSAGE_LIMIT - 1).replace(/&[a-z]*$/, "")}…`;
}
