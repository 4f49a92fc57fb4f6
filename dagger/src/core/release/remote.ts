import { InputError } from "../inputError.js";
import { isRepository, parseRepository } from "./repository.js";

/** The origin remote as the release uses it: where to push with a token and which repository the release belongs to. */
export interface GitRemote {
  /** HTTP(S) URL to push to; SSH remotes are turned into their HTTPS form (a token cannot authenticate SSH) and credentials are dropped. */
  pushUrl: string;
  /** Host name of `pushUrl`, under which a tunnel to the remote is bound. */
  hostname: string;
  /** Base URL of the web UI, for changelog links (e.g. https://github.com). */
  webHost: string;
  /** `owner/name`. */
  repository: string;
  /** A path or file:// origin, accepted by a dry run only: nothing can be pushed to it from a container. */
  local: boolean;
}

// `git@github.com:acme/app.git`: git's scp-like syntax, which has no scheme.
const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/;

const LOCAL_ORIGIN = /^(file:\/\/|\/|\.{1,2}\/|[A-Za-z]:[\\/])/;

/**
 * Reads the `git remote get-url origin` output; a local origin (a path, file://) only for a dry run, which pushes
 * nothing, and plain http:// only without a token, which would otherwise cross the network in clear. Error messages
 * show the URL without its credentials.
 */
export function parseRemoteUrl(
  remoteUrl: string,
  { dryRun, withToken }: { dryRun: boolean; withToken: boolean },
): GitRemote {
  const trimmed = remoteUrl.trim();
  const shown = withoutCredentials(trimmed);
  if (LOCAL_ORIGIN.test(trimmed)) {
    if (!dryRun)
      throw new InputError(
        `origin is the local path "${shown}": a release pushes its commit and tag, so origin must be an HTTPS or SSH URL (a dry run accepts it)`,
      );
    const [owner = "local", name = "repository"] = trimmed
      .replace(/^file:\/\//, "")
      .split(/[\\/]/)
      .filter(Boolean)
      .slice(-2);
    const repository = `${owner}/${name.replace(/\.git$/, "")}`;
    return {
      pushUrl: trimmed,
      hostname: "",
      webHost: "https://github.com",
      // Directory names need not be names GitHub allows; a dry run still shows its plan.
      repository: isRepository(repository) ? repository : "local/repository",
      local: true,
    };
  }
  const scp = SCP_LIKE.exec(trimmed);
  const parsed = scp ? new URL(`ssh://${scp[1]}/${scp[2]}`) : parseUrl(trimmed);
  // The SSH port means nothing over HTTPS; URL cannot switch a non-special scheme to https in place.
  const url =
    parsed.protocol === "ssh:"
      ? new URL(`https://${parsed.hostname}${parsed.pathname}`)
      : parsed;
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(
      `origin must be an HTTPS or SSH URL to push to, got "${shown}"`,
    );
  }
  if (url.protocol === "http:" && withToken) {
    throw new InputError(
      `origin "${shown}" is plain http://, over which --github-token would travel in clear: use an https:// or SSH origin (a dry run without --github-token can read an http:// origin)`,
    );
  }
  url.username = "";
  url.password = "";
  const segments = url.pathname.split("/").filter(Boolean);
  if (segments.length < 2) {
    throw new InputError(
      `origin URL must end with /owner/name, got "${url.href}"`,
    );
  }
  const [owner, name] = segments.slice(-2);
  const repository = `${owner}/${name.replace(/\.git$/, "")}`;
  parseRepository(repository, `the repository in origin "${url.href}"`);
  return {
    pushUrl: url.href,
    hostname: url.hostname,
    webHost: url.origin,
    repository,
    local: false,
  };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new InputError(
      `origin must be an HTTPS or SSH URL to push to, got "${withoutCredentials(text)}"`,
    );
  }
}

// From the first `://` to the last `@`: what is left to strip by hand when the WHATWG parser rejects the text (a
// password with a `/` in it, a bad port, quotes around a pasted URL), so whatever the user info was, none of it is shown.
const UNPARSED_USERINFO = /:\/\/.*@/s;

/**
 * `text` fit for an error message or a log: a URL loses its user name and password (a token actions/checkout or a
 * user put in it); text the URL parser rejects loses everything between its first `://` and its last `@`.
 */
export function withoutCredentials(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(UNPARSED_USERINFO, "://");
  }
  if (url.username === "" && url.password === "") return text;
  url.username = "";
  url.password = "";
  return url.href;
}

/** Tag name → commit hash from `git ls-remote --tags` output; annotated tags resolve to the commit they point at. */
export function parseRemoteTags(lsRemoteOutput: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const line of lsRemoteOutput.split("\n")) {
    const [hash, ref] = line.trim().split(/\s+/);
    if (!hash || !ref?.startsWith("refs/tags/")) continue;
    const name = ref.slice("refs/tags/".length);
    // The peeled `^{}` line of an annotated tag names the commit; it follows the tag object's line.
    if (name.endsWith("^{}")) tags.set(name.slice(0, -3), hash);
    else if (!tags.has(name)) tags.set(name, hash);
  }
  return tags;
}
