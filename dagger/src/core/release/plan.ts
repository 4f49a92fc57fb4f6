import semver from "semver";
import {
  changelogSection,
  parseRepository,
  releaseNotes,
} from "./changelog.js";
import { parseCommits } from "./commits.js";
import { InputError } from "../inputError.js";
import { DEFAULT_TAG_PREFIX, parseGitLog, semverTags } from "./gitLog.js";
import { nextVersion, type Bump } from "./version.js";

/** Everything the release depends on besides the git history. */
export interface ReleaseOptions {
  /** Prefix of release tags; default "v". */
  tagPrefix?: string;
  /** Prerelease channel, e.g. "rc". */
  prerelease?: string;
  /** Explicit version from `--version`. */
  forcedVersion?: string;
  /** GitHub `owner/name`, for changelog links and the GitHub release. */
  repository: string;
  /** Git host base URL; default https://github.com. */
  host?: string;
  /** Release date (YYYY-MM-DD), passed in so the plan is reproducible. */
  date: string;
  /** Image reference (without tag) to publish, e.g. "ghcr.io/acme/app". */
  image?: string;
  dryRun?: boolean;
}

/** What `git` printed: `git tag --list` and `git log` with `gitLogArgs`. */
export interface ReleaseInput {
  /** Tags in HEAD's history (`--merged HEAD`): they decide the previous release. */
  tagList: string;
  /** Every tag, other branches' too (default: tagList): a newer release anywhere keeps the floating image tags. */
  allTagList?: string;
  log: string;
  options: ReleaseOptions;
}

/** A release to perform. */
export interface ReleasePlan {
  kind: "release";
  version: string;
  tag: string;
  previousTag: string | null;
  isPrerelease: boolean;
  bump: Bump;
  reason: string;
  commitMessage: string;
  /** Markdown for the GitHub release body. */
  notes: string;
  /** Markdown section to prepend to CHANGELOG.md (see `prependChangelog`). */
  changelogSection: string;
  /** Tags to push for `options.image`; empty without an image. */
  imageTags: string[];
  dryRun: boolean;
}

/** Nothing to release, and why. */
export interface NoRelease {
  kind: "no-release";
  current: string | null;
  reason: string;
}

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** Decides the next release from tags, log and options; pure, so it can run as a dry run or be tested without git. */
export async function planRelease({
  tagList,
  allTagList = tagList,
  log,
  options,
}: ReleaseInput): Promise<ReleasePlan | NoRelease> {
  const {
    tagPrefix = DEFAULT_TAG_PREFIX,
    prerelease,
    forcedVersion,
    date,
    image,
    dryRun = false,
  } = options;
  if (!DATE_FORMAT.test(date))
    throw new InputError(`date must be YYYY-MM-DD, got "${date}"`);
  const repository = parseRepository(options.repository, options.host);

  const commits = parseCommits(parseGitLog(log));
  const decision = nextVersion(semverTags(tagList, tagPrefix), commits, {
    prerelease,
    forcedVersion,
  });
  if (decision.next === null || decision.bump === null) {
    return {
      kind: "no-release",
      current: decision.current,
      reason: decision.reason,
    };
  }

  const version = decision.next;
  const tag = `${tagPrefix}${version}`;
  const previousTag =
    decision.current === null ? null : `${tagPrefix}${decision.current}`;
  const section = await changelogSection(decision.commits, {
    version,
    tag,
    previousTag,
    date,
    repository,
  });
  const commitMessage = releaseCommitMessage(tag);
  const isPrerelease = semver.prerelease(version) !== null;
  const released = semverTags(allTagList, tagPrefix).map((t) => t.version);
  const publishedTags = image ? imageTags(version, released) : [];

  return {
    kind: "release",
    version,
    tag,
    previousTag,
    isPrerelease,
    bump: decision.bump,
    reason: decision.reason,
    commitMessage,
    notes: releaseNotes(section),
    changelogSection: section,
    imageTags: publishedTags,
    dryRun,
  };
}

/** Message of the release commit; its `chore` type keeps it out of the next release. */
export function releaseCommitMessage(tag: string): string {
  return `chore(release): ${tag}`;
}

/**
 * Image tags for `version`: X.Y.Z, then X.Y, X and latest for a stable release, each only while no version in
 * `released` is newer within its range, so a hotfix of an older line does not take `latest` from the newest one.
 * A prerelease gets only its full version.
 */
export function imageTags(
  version: string,
  released: readonly string[] = [],
): string[] {
  if (semver.prerelease(version) !== null) return [version];
  const major = semver.major(version);
  const minor = semver.minor(version);
  const newer = released.filter(
    (other) => semver.prerelease(other) === null && semver.gt(other, version),
  );
  const floating = [
    {
      tag: `${major}.${minor}`,
      taken: (other: string) =>
        semver.major(other) === major && semver.minor(other) === minor,
    },
    {
      tag: `${major}`,
      taken: (other: string) => semver.major(other) === major,
    },
    { tag: "latest", taken: () => true },
  ];
  return [
    version,
    ...floating.filter(({ taken }) => !newer.some(taken)).map(({ tag }) => tag),
  ];
}
