import semver from "semver";
import type { ConventionalCommit } from "./commits.js";
import { latestOnChannel, type SemverTag } from "./gitLog.js";
import { DEFAULT_COMMIT_TYPES } from "./preset.js";
import { InputError } from "../inputError.js";

export type Bump = "major" | "minor" | "patch";

/** Outcome of the version computation; `next` and `bump` are null when there is nothing to release. */
export interface VersionDecision {
  /** Version of the tag the release builds on (latest on the channel), null for a first release. */
  current: string | null;
  next: string | null;
  /** Kind of release relative to the latest stable version. */
  bump: Bump | null;
  /** The conventional commits taken into account. */
  commits: ConventionalCommit[];
  reason: string;
}

/** How the next version is chosen. */
export interface VersionOptions {
  /** Prerelease channel, e.g. "rc" for `1.3.0-rc.1`. */
  prerelease?: string;
  /** Explicit version (`--version`), bypassing commit analysis. */
  forcedVersion?: string;
}

const BUMP_RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };
const FEATURE_TYPES = new Set(["feat", "feature"]);
// Types the conventionalcommits preset shows in the changelog are exactly those that trigger a release.
const RELEASING_TYPES = new Set(
  DEFAULT_COMMIT_TYPES.filter((type) => type.effect === "bump").map(
    (type) => type.type,
  ),
);
const FIRST_VERSION_BASE = "0.0.0";

/** Release level a single commit asks for: breaking → major, feat → minor, other releasing types (fix, perf, revert) → patch. */
function commitBump(commit: ConventionalCommit): Bump | null {
  if (commit.breaking) return "major";
  if (FEATURE_TYPES.has(commit.type)) return "minor";
  return RELEASING_TYPES.has(commit.type) ? "patch" : null;
}

/**
 * Release level for a set of commits relative to `base`.
 * Below 1.0.0 the public API is unstable (semver §4), so a breaking change bumps minor instead of major;
 * feat stays minor and fix/perf stay patch, hence 0.x versions never reach 1.0.0 on their own (use `--version 1.0.0`).
 */
function releaseBump(
  commits: readonly ConventionalCommit[],
  base: string,
): Bump | null {
  const highest = commits
    .map(commitBump)
    .reduce<Bump | null>((max, bump) => maxBump(max, bump), null);
  return highest === "major" && semver.major(base) === 0 ? "minor" : highest;
}

/** The next version for `commits` given the existing tags (highest first, as from `semverTags`). */
export function nextVersion(
  tags: readonly SemverTag[],
  commits: ConventionalCommit[],
  options: VersionOptions = {},
): VersionDecision {
  const { prerelease, forcedVersion } = options;
  const base = latestOnChannel(tags, undefined)?.version ?? FIRST_VERSION_BASE;
  const current = latestOnChannel(tags, prerelease)?.version ?? null;
  const decide = (next: string | null, reason: string): VersionDecision => ({
    current,
    next,
    bump: next === null ? null : levelBetween(base, next),
    commits,
    reason,
  });

  if (forcedVersion !== undefined) {
    const next = validateForcedVersion(
      forcedVersion,
      tags[0]?.version ?? null,
      prerelease,
    );
    return decide(next, `version forced with --version ${forcedVersion}`);
  }

  const bump = releaseBump(commits, base);
  if (bump === null) {
    return decide(
      null,
      `no releasable commits since ${current ?? "the beginning of history"} (${describeCommits(commits)})`,
    );
  }
  const summary = `${bump} bump: ${describeCommits(commits)}`;
  if (prerelease === undefined) {
    return decide(semver.inc(base, bump), summary);
  }
  if (
    current !== null &&
    semver.prerelease(current) !== null &&
    BUMP_RANK[bump] <= BUMP_RANK[levelBetween(base, current)]
  ) {
    return decide(
      semver.inc(current, "prerelease", prerelease),
      `${summary}; continues ${current}`,
    );
  }
  return decide(semver.inc(base, `pre${bump}`, prerelease, "1"), summary);
}

function validateForcedVersion(
  forcedVersion: string,
  highestTagged: string | null,
  prerelease: string | undefined,
): string {
  const version = semver.valid(forcedVersion);
  if (version === null) {
    throw new InputError(
      `--version must be a semantic version such as 2.0.0 or 2.0.0-rc.1, got "${forcedVersion}"`,
    );
  }
  if (highestTagged !== null && !semver.gt(version, highestTagged)) {
    throw new InputError(
      `--version ${version} must be greater than the latest released version ${highestTagged}`,
    );
  }
  if (
    prerelease !== undefined &&
    semver.prerelease(version)?.[0] !== prerelease
  ) {
    throw new InputError(
      `--version ${version} is not a "${prerelease}" prerelease, but the "${prerelease}" prerelease channel was requested`,
    );
  }
  return version;
}

function maxBump(a: Bump | null, b: Bump | null): Bump | null {
  if (a === null) return b;
  if (b === null) return a;
  return BUMP_RANK[a] >= BUMP_RANK[b] ? a : b;
}

/** Which of major/minor/patch changed from stable `from` to `to`; a prerelease suffix of `to` does not count. */
function levelBetween(from: string, to: string): Bump {
  if (semver.major(to) !== semver.major(from)) return "major";
  return semver.minor(to) !== semver.minor(from) ? "minor" : "patch";
}

function describeCommits(commits: readonly ConventionalCommit[]): string {
  const counts = { breaking: 0, features: 0, fixes: 0, other: 0 };
  for (const commit of commits) {
    const bump = commitBump(commit);
    if (bump === "major") counts.breaking++;
    else if (bump === "minor") counts.features++;
    else if (bump === "patch") counts.fixes++;
    else counts.other++;
  }
  return `${counts.breaking} breaking, ${counts.features} feat, ${counts.fixes} fix/perf/revert, ${counts.other} other`;
}
