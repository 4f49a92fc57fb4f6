import {
  dag,
  type Container,
  type File,
  type Secret,
  type Service,
} from "@dagger.io/dagger";
import { prependChangelog } from "../../core/release/changelog.js";
import { InputError } from "../../core/inputError.js";
import {
  bumpManifestVersion,
  VERSIONED_MANIFESTS,
} from "../../core/release/manifest.js";
import {
  releaseCommitMessage,
  type ReleasePlan,
} from "../../core/release/plan.js";
import { parseRemoteUrl, type GitRemote } from "../../core/release/remote.js";
import { run } from "../exec.js";
import { SRC, uncached, type Project } from "../workspace.js";

const CHANGELOG = "CHANGELOG.md";

// Where the token is mounted, as a secret file, for the one git command that talks to origin.
const TOKEN_FILE = "/run/secrets/gantry-github-token";
// Where --ca-certificate is copied in the git image.
const CA_FILE = "/etc/gantry/ca-certificate.pem";

/**
 * Configuration of the git commands that talk to origin, given in GIT_CONFIG_* variables, not on the command line.
 * GitHub takes a token over HTTPS as the password of Basic auth; git asks for it after the server's 401 and gets it from
 * a credential helper that reads the secret file, so the token is in no command line (/proc/<pid>/cmdline on the engine
 * host), no environment variable and no file outside the secret mount. The empty helper first drops any helper of the
 * image or the repository, which could store the token (credential-store writes it to a file a layer would keep), and
 * no hook runs while the secret is mounted.
 */
const AUTHENTICATED_CONFIG: [key: string, value: string][] = [
  ["credential.helper", ""],
  [
    "credential.helper",
    `!f() { test "$1" = get || return 0; echo username=x-access-token; printf password=; cat ${TOKEN_FILE}; echo; }; f`,
  ],
  ["core.hooksPath", "/dev/null"],
];
const AUTHENTICATED_ENV: Record<string, string> = {
  GIT_CONFIG_COUNT: String(AUTHENTICATED_CONFIG.length),
  ...Object.fromEntries(
    AUTHENTICATED_CONFIG.flatMap(([key, value], index) => [
      [`GIT_CONFIG_KEY_${index}`, key],
      [`GIT_CONFIG_VALUE_${index}`, value],
    ]),
  ),
  // A wrong token fails instead of waiting for a terminal that is not there.
  GIT_TERMINAL_PROMPT: "0",
};

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
  {
    remoteService,
    dryRun,
    withToken,
    caCertificate,
  }: {
    remoteService: Service | undefined;
    dryRun: boolean;
    withToken: boolean;
    caCertificate: File | undefined;
  },
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
    throw new InputError(
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
    throw new InputError(
      "the history is shallow: the next version depends on every commit since the last tag, so clone with full history (actions/checkout: fetch-depth: 0)",
    );
  }
  if (status !== "") {
    const changes = status.split("\n");
    throw new InputError(
      `the work tree has uncommitted changes, which the release commit would not contain:\n${changes.slice(0, 10).join("\n")}${changes.length > 10 ? `\n… and ${changes.length - 10} more` : ""}`,
    );
  }
  if (branch === "")
    throw new InputError(
      "HEAD is detached: check out the branch the release commit should be pushed to",
    );

  const remote = parseRemoteUrl(origin, { dryRun, withToken });
  if (remote.local) return { container, remote, branch, head };
  const withRemote = container
    .withExec(["git", "remote", "set-url", "origin", remote.pushUrl])
    .with((repo) =>
      caCertificate
        ? repo
            .withFile(CA_FILE, caCertificate)
            // Scoped to origin's host: every other host keeps the image's trust store.
            .withExec([
              "git",
              "config",
              "--global",
              `http.${new URL(remote.pushUrl).origin}/.sslCAInfo`,
              CA_FILE,
            ])
        : repo,
    )
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
  const parent = checkoutDetached(checkout.container, "HEAD^");
  return {
    tag,
    parent: {
      ...checkout,
      container: parent,
      head: await readGit(parent, ["rev-parse", "HEAD"]),
    },
  };
}

/** `repo` with `ref` checked out, HEAD detached; lazy. */
export function checkoutDetached(repo: Container, ref: string): Container {
  return repo.withExec(["git", "checkout", "--quiet", "--detach", ref]);
}

/** Output of a read-only git command in `repo`. */
export async function readGit(
  repo: Container,
  args: string[],
): Promise<string> {
  return (await run(repo, ["git", ...args], `git ${args[0]}`)).stdout;
}

/**
 * Runs a git command that talks to origin, authenticated with `token`; returns the output and the container after it,
 * from which the secret mount and the credential configuration are gone again: no later command sees the token.
 */
export async function remoteGit(
  repo: Container,
  token: Secret,
  args: string[],
): ReturnType<typeof run> {
  const authenticated = Object.entries(AUTHENTICATED_ENV).reduce(
    (container, [name, value]) => container.withEnvVariable(name, value),
    uncached(repo).withMountedSecret(TOKEN_FILE, token),
  );
  const result = await run(
    authenticated,
    ["git", ...args],
    `git ${args[0]} origin`,
  );
  const container = Object.keys(AUTHENTICATED_ENV).reduce(
    (after, name) => after.withoutEnvVariable(name),
    result.container.withoutMount(TOKEN_FILE),
  );
  return { ...result, container };
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
