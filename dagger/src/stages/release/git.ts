import {
  dag,
  type Container,
  type Secret,
  type Service,
} from "@dagger.io/dagger";
import { prependChangelog } from "../../core/release/changelog.js";
import { ReleaseInputError } from "../../core/release/errors.js";
import {
  bumpManifestVersion,
  VERSIONED_MANIFESTS,
} from "../../core/release/manifest.js";
import {
  releaseCommitMessage,
  type ReleasePlan,
} from "../../core/release/plan.js";
import { parseRemoteUrl, type GitRemote } from "../../core/release/remote.js";
import { SRC, type Project } from "../workspace.js";
import { uncached } from "../workspace.js";
import { run } from "./exec.js";

const CHANGELOG = "CHANGELOG.md";

// GitHub takes a token over HTTPS as the password of Basic auth. The header is built inside the container from the
// secret variable, so the token never appears in a command line, a layer or a log.
const AUTHENTICATED_GIT = [
  `auth=$(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 | tr -d '\\n')`,
  `exec git -c "http.extraHeader=Authorization: Basic $auth" "$@"`,
].join("\n");

/** The repository to release, checked out in the configured git image, with what the release needs to know about it. */
export interface Checkout {
  container: Container;
  remote: GitRemote;
  /** Branch the release commit is pushed to. */
  branch: string;
  head: string;
}

/** Opens `project.source` (with its .git) in the git image; fails, before anything else happens, on a history or work tree git cannot release. */
export async function openCheckout(
  project: Project,
  remoteService: Service | undefined,
  dryRun: boolean,
): Promise<Checkout> {
  const { images, release } = project.config;
  const container = dag
    .container()
    .from(images.git)
    // The files belong to the caller's user id, which git would otherwise refuse as "dubious ownership".
    .withExec(["git", "config", "--global", "--add", "safe.directory", "*"])
    .withExec(["git", "config", "--global", "user.name", release.gitUserName])
    .withExec(["git", "config", "--global", "user.email", release.gitUserEmail])
    .withDirectory(SRC, project.source)
    .withWorkdir(SRC);
  const read = (args: string[]) => readGit(container, args);

  // Directory entries end with a slash; a .git file (worktree, submodule) points outside --source and is no use either.
  if (!(await project.source.entries()).includes(".git/")) {
    throw new ReleaseInputError(
      "--source has no .git directory: release reads the history, so pass the repository itself",
    );
  }
  const [shallow, status, branch, origin, head] = await Promise.all([
    read(["rev-parse", "--is-shallow-repository"]),
    read(["status", "--porcelain"]),
    read(["branch", "--show-current"]),
    read(["remote", "get-url", "origin"]),
    read(["rev-parse", "HEAD"]),
  ]);
  if (shallow === "true") {
    throw new ReleaseInputError(
      "the history is shallow: the next version depends on every commit since the last tag, so clone with full history (actions/checkout: fetch-depth: 0)",
    );
  }
  if (status !== "") {
    const changes = status.split("\n");
    throw new ReleaseInputError(
      `the work tree has uncommitted changes, which the release commit would not contain:\n${changes.slice(0, 10).join("\n")}${changes.length > 10 ? `\n… and ${changes.length - 10} more` : ""}`,
    );
  }
  if (branch === "")
    throw new ReleaseInputError(
      "HEAD is detached: check out the branch the release commit should be pushed to",
    );

  const remote = parseRemoteUrl(origin, { dryRun });
  if (remote.local) return { container, remote, branch, head };
  const withRemote = container
    .withExec(["git", "remote", "set-url", "origin", remote.pushUrl])
    .with((repo) =>
      remoteService
        ? repo.withServiceBinding(remote.hostname, remoteService)
        : repo,
    );
  return { container: withRemote, remote, branch, head };
}

/**
 * When HEAD is itself a release commit (its tag points at it and it carries that tag's release message), the tag and
 * the checkout of its parent, from which that release can be planned again; null otherwise.
 */
export async function releaseCommitAtHead(
  checkout: Checkout,
): Promise<{ tag: string; parent: Checkout } | null> {
  const [tags, subject] = await Promise.all([
    readGit(checkout.container, ["tag", "--points-at", "HEAD"]),
    readGit(checkout.container, ["log", "-1", "--format=%s"]),
  ]);
  const tag = tags
    .split("\n")
    .find((name) => name !== "" && subject === releaseCommitMessage(name));
  if (tag === undefined) return null;
  const parent = checkout.container.withExec([
    "git",
    "checkout",
    "--quiet",
    "--detach",
    "HEAD^",
  ]);
  return {
    tag,
    parent: {
      ...checkout,
      container: parent,
      head: await readGit(parent, ["rev-parse", "HEAD"]),
    },
  };
}

/** Output of a read-only git command in `repo`. */
export async function readGit(
  repo: Container,
  args: string[],
): Promise<string> {
  return (await run(repo, ["git", ...args], `git ${args[0]}`)).stdout;
}

/** Runs a git command that talks to origin, authenticated with `token`; returns the container after it and the output. */
export function remoteGit(
  repo: Container,
  token: Secret,
  args: string[],
): ReturnType<typeof run> {
  const authenticated = uncached(
    repo.withSecretVariable("GITHUB_TOKEN", token),
  );
  return run(
    authenticated,
    ["sh", "-c", AUTHENTICATED_GIT, "git", ...args],
    `git ${args[0]} origin`,
  );
}

/** `repo` with the release commit (version bumps and changelog) and its annotated tag; lazy, nothing runs until it is used. */
export async function commitRelease(
  repo: Container,
  plan: ReleasePlan,
): Promise<Container> {
  const workTree = repo.directory(SRC);
  const entries = await workTree.entries();
  const manifests = VERSIONED_MANIFESTS.filter((file) =>
    entries.includes(file),
  );
  const changelog = entries.includes(CHANGELOG)
    ? await workTree.file(CHANGELOG).contents()
    : "";
  const bumped = await Promise.all(
    manifests.map(async (file) =>
      bumpManifestVersion(await workTree.file(file).contents(), plan.version),
    ),
  );
  return (
    manifests
      .reduce(
        (container, file, index) =>
          container.withNewFile(`${SRC}/${file}`, bumped[index]),
        repo,
      )
      .withNewFile(
        `${SRC}/${CHANGELOG}`,
        prependChangelog(changelog, plan.changelogSection),
      )
      .withExec(["git", "add", "--", ...manifests, CHANGELOG])
      // --no-verify: the repository's hooks (husky, lint-staged) need tools the git image does not have.
      .withExec([
        "git",
        "commit",
        "--quiet",
        "--no-verify",
        "--message",
        plan.commitMessage,
      ])
      .withExec([
        "git",
        "tag",
        "--annotate",
        "--message",
        plan.commitMessage,
        plan.tag,
      ])
  );
}
