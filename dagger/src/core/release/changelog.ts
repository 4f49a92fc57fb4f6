import { writeChangelogString } from "conventional-changelog-writer";
import type { ConventionalCommit } from "./commits.js";
import { InputError } from "../inputError.js";
import { preset } from "./preset.js";

export const DEFAULT_GIT_HOST = "https://github.com";
const CHANGELOG_TITLE = "# Changelog";

/** A repository hosted on GitHub (or a host with the same URL layout). */
export interface RepositoryRef {
  host: string;
  owner: string;
  name: string;
}

/** Parses an `owner/name` repository on `host` (default https://github.com). */
export function parseRepository(
  spec: string,
  host: string = DEFAULT_GIT_HOST,
): RepositoryRef {
  const [owner, name, ...rest] = spec.split("/");
  if (!owner || !name || rest.length > 0) {
    throw new InputError(
      `repository must look like "owner/name", got "${spec}"`,
    );
  }
  return { host: host.replace(/\/+$/, ""), owner, name };
}

/** What the changelog section is about and where its links point. */
export interface ChangelogInput {
  version: string;
  tag: string;
  /** Tag of the previous release on the channel; without it there is no compare link. */
  previousTag: string | null;
  /** Release date as it should appear, e.g. "2024-05-01". */
  date: string;
  /** Where commit, issue and compare links point. */
  repository: RepositoryRef;
}

/** Renders the markdown section for one release (`## [version](compare) (date)` then the grouped commits). */
export async function changelogSection(
  commits: readonly ConventionalCommit[],
  input: ChangelogInput,
): Promise<string> {
  const { version, tag, previousTag, date, repository } = input;
  const context = {
    ...linkContext(repository),
    version,
    date,
    previousTag,
    currentTag: tag,
    linkCompare: previousTag !== null,
  };
  // Reverts are already resolved by parseCommits, including reverts of non-conventional commits the writer never sees.
  const options = { ...preset.writer, ignoreReverted: false };
  const markdown = await writeChangelogString(
    commits.map((commit) => commit.parsed),
    context,
    options,
  );
  return `${markdown.trim()}\n`;
}

function linkContext({ host, owner, name }: RepositoryRef) {
  // The writer defaults to "commits", but GitHub's canonical single-commit URL is /commit/<sha>.
  return { host, owner, repository: name, commit: "commit" };
}

/** The section without its version heading, as the body of a GitHub release. */
export function releaseNotes(section: string): string {
  return `${section.replace(/^##[^\n]*\n/, "").trim()}\n`;
}

/** Puts `section` first under the "# Changelog" title (keeping any preamble); unchanged if that version is already there. */
export function prependChangelog(existing: string, section: string): string {
  const version = headingVersion(section.split("\n")[0]);
  const lines = existing.replace(/\r\n/g, "\n").split("\n");
  if (
    version !== null &&
    lines.some((line) => headingVersion(line) === version)
  )
    return existing;

  const body = lines[0]?.trim() === CHANGELOG_TITLE ? lines.slice(1) : lines;
  const firstRelease = body.findIndex((line) => headingVersion(line) !== null);
  const preamble = (firstRelease === -1 ? body : body.slice(0, firstRelease))
    .join("\n")
    .trim();
  const releases =
    firstRelease === -1 ? "" : body.slice(firstRelease).join("\n").trim();
  return `${[CHANGELOG_TITLE, preamble, section.trim(), releases].filter(Boolean).join("\n\n")}\n`;
}

/** Version of a release heading: `## [1.2.0](…) (…)`, `## 1.2.0 (…)` or `### [1.2.1]…`, else null. */
function headingVersion(line: string): string | null {
  return /^#{2,3} \[?v?(\d+\.\d+\.\d+[^\]\s(]*)/.exec(line)?.[1] ?? null;
}
