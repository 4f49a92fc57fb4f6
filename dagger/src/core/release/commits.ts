import { CommitParser, type Commit } from "conventional-commits-parser";
import type { RawCommit } from "./gitLog.js";
import { preset } from "./preset.js";

/** A commit that follows Conventional Commits, with the parser output kept for the changelog writer. */
export interface ConventionalCommit {
  hash: string;
  shortHash: string;
  /** Lower-cased type; "revert" for `Revert "…"` commits made by `git revert`. */
  type: string;
  scope: string | null;
  subject: string;
  /** `!` in the header or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer. */
  breaking: boolean;
  parsed: Commit;
}

const parser = new CommitParser({
  ...preset.parser,
  // git >= 2.43 titles the revert of a revert `Reapply "…"`; it still cancels the revert it targets.
  revertPattern:
    /^(?:Revert|revert:|Reapply)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
});

const MERGE_HEADER =
  /^Merge (pull request|branch|branches|remote-tracking branch|tag) /;
const BREAKING_NOTE_TITLES = ["BREAKING CHANGE", "BREAKING-CHANGE"];
// `git revert` writes the full hash, but hand-written reverts are often abbreviated.
const MIN_REVERTED_HASH_LENGTH = 7;

/** Parses raw commits (newest first) into conventional commits, dropping merges, non-conventional commits and revert pairs. */
export function parseCommits(
  rawCommits: readonly RawCommit[],
): ConventionalCommit[] {
  const commits = rawCommits
    .filter((raw) => raw.parentCount <= 1)
    .map(toConventionalCommit)
    .filter((commit): commit is ConventionalCommit => commit !== null);
  const cancelled = cancelledByReverts(
    commits,
    rawCommits.map((raw) => raw.hash),
  );
  return commits.filter((commit) => !cancelled.has(commit.hash));
}

function toConventionalCommit(raw: RawCommit): ConventionalCommit | null {
  const parsed = parser.parse(raw.message);
  // The changelog writer reads the hash from the parsed commit to link it.
  parsed.hash = raw.hash;
  const type = parsed.revert ? "revert" : parsed.type?.toLowerCase();
  if (!type || MERGE_HEADER.test(parsed.header ?? "")) return null;
  return {
    hash: raw.hash,
    shortHash: raw.shortHash,
    type,
    scope: parsed.scope ?? null,
    subject: parsed.subject ?? parsed.header ?? "",
    // The parser turns a `!` header into a BREAKING CHANGE note, so notes alone tell.
    breaking: parsed.notes.some((note) =>
      BREAKING_NOTE_TITLES.includes(note.title.toUpperCase()),
    ),
    parsed,
  };
}

/** Hashes of a revert and its target when the target is in range (of any kind), so both drop out of the release. */
function cancelledByReverts(
  newestFirst: readonly ConventionalCommit[],
  rangeHashes: readonly string[],
): Set<string> {
  const inRange = new Set(rangeHashes);
  const cancelled = new Set<string>();
  // Newest first, so a revert that was itself reverted is already cancelled and no longer cancels its target.
  for (const commit of newestFirst) {
    if (cancelled.has(commit.hash)) continue;
    const target = revertedHashInRange(commit, inRange);
    if (target) {
      cancelled.add(commit.hash);
      cancelled.add(target);
    }
  }
  return cancelled;
}

function revertedHashInRange(
  commit: ConventionalCommit,
  inRange: ReadonlySet<string>,
): string | undefined {
  const reverted = commit.parsed.revert?.hash?.toLowerCase();
  if (!reverted || reverted.length < MIN_REVERTED_HASH_LENGTH) return undefined;
  if (inRange.has(reverted)) return reverted;
  // Only abbreviated hashes need the scan.
  return [...inRange].find((hash) => hash.startsWith(reverted));
}
