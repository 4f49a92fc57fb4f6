import semver from "semver";

/** One commit as read from `git log`, before any conventional-commit parsing. */
export interface RawCommit {
  hash: string;
  shortHash: string;
  parentCount: number;
  authorName: string;
  authorEmail: string;
  /** Author date, strict ISO 8601. */
  date: string;
  /** Full message: subject, blank line, body and footers. */
  message: string;
}

/** A tag whose name is `<prefix><canonical semver>`. */
export interface SemverTag {
  name: string;
  version: string;
}

export const DEFAULT_TAG_PREFIX = "v";

// Control characters cannot appear in hashes, names or dates and practically never in messages.
export const RECORD_SEPARATOR = "\x1e";
export const FIELD_SEPARATOR = "\x1f";

// The message (%B) comes last so that a stray separator inside it cannot shift the other fields.
const FIELDS = ["%H", "%h", "%P", "%an", "%ae", "%aI", "%B"] as const;

/** The `--format` value matching `parseGitLog`: a record separator, then fields joined by the field separator. */
export const GIT_LOG_FORMAT = `%x1e${FIELDS.join("%x1f")}`;

/** Arguments (after `git`) that list tags in the form `semverTags`/`latestTag` expect. */
export const GIT_TAG_LIST_ARGS: readonly string[] = ["tag", "--list"];

/** Arguments (after `git`) printing the commits after `fromTag` (all history when null) in the format `parseGitLog` reads. */
export function gitLogArgs(fromTag: string | null): string[] {
  // refs/tags/ avoids ambiguity with a branch of the same name; `--` stops git reading a revision as a path.
  const range = fromTag === null ? "HEAD" : `refs/tags/${fromTag}..HEAD`;
  return [
    "log",
    "--no-show-signature",
    `--format=${GIT_LOG_FORMAT}`,
    range,
    "--",
  ];
}

/** Parses the output of `git log` run with `gitLogArgs`, newest commit first as git prints them. */
export function parseGitLog(output: string): RawCommit[] {
  return output
    .split(RECORD_SEPARATOR)
    .filter((record) => record.trim() !== "")
    .map(parseRecord);
}

function parseRecord(record: string): RawCommit {
  const fields = record.split(FIELD_SEPARATOR);
  if (fields.length < FIELDS.length) {
    throw new Error(
      `Malformed git log record (expected ${FIELDS.length} fields): ${JSON.stringify(record.slice(0, 200))}`,
    );
  }
  const [
    hash,
    shortHash,
    parents,
    authorName,
    authorEmail,
    date,
    ...messageParts
  ] = fields;
  return {
    hash,
    shortHash,
    parentCount: parents === "" ? 0 : parents.split(" ").length,
    authorName,
    authorEmail,
    date,
    message: messageParts.join(FIELD_SEPARATOR).trim(),
  };
}

/** Every `<prefix><semver>` tag in `git tag --list` output, highest version first; other tags are ignored. */
export function semverTags(
  tagList: string,
  tagPrefix: string = DEFAULT_TAG_PREFIX,
): SemverTag[] {
  return (
    tagList
      .split("\n")
      .map((line) => line.trim())
      .filter((name) => name.startsWith(tagPrefix))
      .map((name) => ({ name, version: name.slice(tagPrefix.length) }))
      // valid() also accepts "v1.2.3" or "=1.2.3"; requiring the canonical form keeps the prefix meaningful.
      .filter(({ version }) => semver.valid(version) === version)
      .sort((a, b) => semver.rcompare(a.version, b.version))
  );
}

/** True for stable versions and for prereleases of `channel` (e.g. `1.3.0-rc.2` on channel "rc"). */
function isOnChannel(version: string, channel: string | undefined): boolean {
  const [identifier] = semver.prerelease(version) ?? [];
  return identifier === undefined || identifier === channel;
}

/** The first tag on `channel` among `tags` sorted highest first (as `semverTags` returns them), or null. */
export function latestOnChannel(
  tags: readonly SemverTag[],
  channel: string | undefined,
): SemverTag | null {
  return tags.find((tag) => isOnChannel(tag.version, channel)) ?? null;
}

/** Options choosing which tags count as the previous release. */
export interface TagQuery {
  tagPrefix?: string;
  /** Prerelease channel (e.g. "rc"); its prereleases count, other channels' never do. */
  prerelease?: string;
}

/** The highest semver tag in `git tag --list` output on the requested channel, or null. */
export function latestTag(
  tagList: string,
  { tagPrefix, prerelease }: TagQuery = {},
): SemverTag | null {
  return latestOnChannel(semverTags(tagList, tagPrefix), prerelease);
}
