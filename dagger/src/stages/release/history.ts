import type { Container, Secret } from "@dagger.io/dagger";
import { InputError } from "../../core/inputError.js";
import {
  GIT_TAG_LIST_ARGS,
  gitLogArgs,
  latestTag,
} from "../../core/release/gitLog.js";
import {
  planRelease,
  type NoRelease,
  type ReleasePlan,
} from "../../core/release/plan.js";
import { parseRemoteTags } from "../../core/release/remote.js";
import {
  checkoutDetached,
  readGit,
  releaseCommitAtHead,
  remoteGit,
  type Checkout,
} from "./git.js";

/** What the plan takes from the arguments of `dagger call release`. */
export interface PlanRequest {
  repository: string;
  prerelease?: string;
  version?: string;
  image?: string;
  dryRun: boolean;
}

/** The release commit a previous, interrupted run of this release made, checked out, and where its tag was found. */
export interface PreviousRun {
  container: Container;
  where: string;
}

/**
 * The checkout to release from and its plan. When HEAD is the release commit of a tag (a checkout of the branch after
 * an interrupted run pushed it), that release is planned again from its parent, so the run finishes its missing steps
 * instead of finding nothing to release.
 */
export async function planAtHead(
  opened: Checkout,
  request: PlanRequest,
): Promise<{ checkout: Checkout; plan: ReleasePlan | NoRelease }> {
  const atRelease = await releaseCommitAtHead(opened);
  if (atRelease) {
    const plan = await planFromHistory(atRelease.parent, request);
    if (plan.kind === "release" && plan.tag === atRelease.tag)
      return { checkout: atRelease.parent, plan };
  }
  return { checkout: opened, plan: await planFromHistory(opened, request) };
}

async function planFromHistory(
  checkout: Checkout,
  request: PlanRequest,
): Promise<ReleasePlan | NoRelease> {
  const prerelease = request.prerelease || undefined;
  // Only tags in HEAD's history count: the tag an interrupted run of this release left is on a child of HEAD.
  const [tagList, allTagList] = await Promise.all([
    readGit(checkout.container, [...GIT_TAG_LIST_ARGS, "--merged", "HEAD"]),
    readGit(checkout.container, [...GIT_TAG_LIST_ARGS]),
  ]);
  const previous = latestTag(tagList, { prerelease });
  const log = await readGit(
    checkout.container,
    gitLogArgs(previous?.name ?? null),
  );
  const options = {
    prerelease,
    forcedVersion: request.version || undefined,
    repository: request.repository,
    host: checkout.remote.webHost,
    date: new Date().toISOString().slice(0, 10),
    image: request.image || undefined,
    dryRun: request.dryRun,
  };
  return planRelease({ tagList, allTagList, log, options });
}

/** The tags on origin, by name. */
export async function readOriginTags(
  checkout: Checkout,
  token: Secret,
): Promise<Map<string, string>> {
  const { stdout } = await remoteGit(checkout.container, token, [
    "ls-remote",
    "--tags",
    "origin",
  ]);
  return parseRemoteTags(stdout);
}

/**
 * The release commit a previous, interrupted run of this same release made (tag present locally or on origin),
 * checked out; null when the tag is new. A tag of the same name on anything else is an error, not a resume.
 */
export async function findPreviousRun(
  checkout: Checkout,
  plan: ReleasePlan,
  originTags: Map<string, string>,
  token: Secret | undefined,
): Promise<PreviousRun | null> {
  const { container, head } = checkout;
  const tagRef = `refs/tags/${plan.tag}`;
  const isLocal =
    (await readGit(container, ["tag", "--list", plan.tag])) !== "";
  const onOrigin = originTags.has(plan.tag);
  if (!isLocal && !onOrigin) return null;
  // originTags is only read with a token, so a tag found only on origin always comes with one.
  const repo =
    isLocal || !token
      ? container
      : (
          await remoteGit(container, token, [
            "fetch",
            "--quiet",
            "--no-tags",
            "origin",
            `+${tagRef}:${tagRef}`,
          ])
        ).container;
  const [parent, subject] = await Promise.all([
    readGit(repo, ["rev-parse", `${tagRef}^{commit}^`]),
    readGit(repo, ["log", "-1", "--format=%s", `${tagRef}^{commit}`]),
  ]);
  const where = onOrigin ? "on origin" : "locally";
  if (parent !== head || subject !== plan.commitMessage) {
    throw new InputError(
      `tag ${plan.tag} already exists ${where} and is not the release commit of HEAD (${head.slice(0, 7)}): ` +
        "release another version with --version, or delete the tag if it is a mistake",
    );
  }
  return { container: checkoutDetached(repo, tagRef), where };
}
