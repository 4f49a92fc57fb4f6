import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommits } from "../../../src/core/release/commits.js";
import { parseGitLog } from "../../../src/core/release/gitLog.js";
import { GitRepo } from "../../fixtures/release/gitRepo.js";
import { rawCommits } from "../../fixtures/release/syntheticLog.js";

describe("parseCommits on messages", () => {
  it("reads type, scope and subject", () => {
    const [commit] = parseCommits(rawCommits("feat(cli): add --json output"));
    expect(commit).toMatchObject({
      type: "feat",
      scope: "cli",
      subject: "add --json output",
      breaking: false,
    });
  });

  it("flags `!` headers as breaking", () => {
    expect(
      parseCommits(
        rawCommits("feat!: drop node 18", "fix(api)!: rename field"),
      ).map((commit) => commit.breaking),
    ).toEqual([true, true]);
  });

  it("flags BREAKING CHANGE and BREAKING-CHANGE footers after multi-paragraph bodies", () => {
    const commits = parseCommits(
      rawCommits(
        "refactor(config): new loader\n\nFirst paragraph.\n\nSecond paragraph\nspanning lines.\n\nBREAKING CHANGE: `gantry.yaml` replaces `.gantryrc`.",
        "fix: tolerate spaces\n\nSome context.\n\nBREAKING-CHANGE: paths are now trimmed",
      ),
    );
    expect(commits.map((commit) => commit.breaking)).toEqual([true, true]);
    expect(commits[0].parsed.body).toBe(
      "First paragraph.\n\nSecond paragraph\nspanning lines.",
    );
    expect(commits[0].parsed.notes).toEqual([
      { title: "BREAKING CHANGE", text: "`gantry.yaml` replaces `.gantryrc`." },
    ]);
  });

  it("does not mistake a mention of breaking changes in the body for a footer", () => {
    const [commit] = parseCommits(
      rawCommits("fix: typo\n\nThis is not a BREAKING CHANGE: really."),
    );
    expect(commit.breaking).toBe(false);
  });

  it("collects issue references, closing or not", () => {
    const [commit] = parseCommits(
      rawCommits(
        "fix(auth): refresh tokens (#41)\n\nSee #40.\n\nCloses #12, fixes #13",
      ),
    );
    expect(
      commit.parsed.references.map(({ action, issue }) => ({ action, issue })),
    ).toEqual([
      { action: null, issue: "41" },
      { action: null, issue: "40" },
      { action: "Closes", issue: "12" },
      { action: "fixes", issue: "13" },
    ]);
  });

  it("drops non-conventional commits and merge headers, keeps hidden types for the record", () => {
    const commits = parseCommits(
      rawCommits(
        "Update README",
        "WIP",
        "Merge branch 'main' into topic",
        "Merge pull request #9 from acme/x\n\nfeat: x",
        "fix(git): Merge branch names verbatim",
        "chore: tidy",
        "docs(readme): typo",
      ),
    );
    expect(commits.map((commit) => commit.type)).toEqual([
      "fix",
      "chore",
      "docs",
    ]);
  });
});

describe("parseCommits on real git history", () => {
  let repo: GitRepo;
  beforeEach(() => {
    repo = new GitRepo();
  });
  afterEach(() => repo.dispose());

  const subjects = (fromTag: string | null) =>
    parseCommits(parseGitLog(repo.log(fromTag))).map(
      (commit) => commit.subject,
    );

  it.each([
    "Merge pull request #7 from acme/topic",
    "feat(ui): dark mode (#7)",
  ])(
    "skips the merge commit %j but keeps the merged branch's commits",
    (mergeMessage) => {
      repo.commit("feat: base");
      repo.mergeBranch(
        "topic",
        ["feat(ui): dark mode", "fix(ui): contrast"],
        mergeMessage,
      );
      expect(subjects(null)).toEqual(["contrast", "dark mode", "base"]);
    },
  );

  it("cancels a revert and the reverted commit when both are in range", () => {
    const reverted = repo.commit("feat: risky");
    repo.commit("fix: kept");
    repo.revert(reverted);
    expect(subjects(null)).toEqual(["kept"]);
  });

  it.each([
    [
      "abbreviated to 10",
      (hash: string) =>
        `Revert "feat: risky"\n\nThis reverts commit ${hash.slice(0, 10)}.`,
    ],
    [
      "abbreviated to 7",
      (hash: string) =>
        `Revert "feat: risky"\n\nThis reverts commit ${hash.slice(0, 7)}.`,
    ],
    [
      "unquoted",
      (hash: string) => `revert: feat: risky\n\nThis reverts commit ${hash}.`,
    ],
  ])("matches a hand-written revert, %s", (_, revertMessage) => {
    const reverted = repo.commit("feat: risky");
    repo.commit(revertMessage(reverted));
    expect(subjects(null)).toEqual([]);
  });

  it("keeps both sides of a revert whose hash is too short to identify its target", () => {
    const reverted = repo.commit("feat: risky");
    repo.commit(
      `Revert "feat: risky"\n\nThis reverts commit ${reverted.slice(0, 6)}.`,
    );
    expect(subjects(null)).toEqual(['Revert "feat: risky"', "risky"]);
  });

  it("reads a squash merge by its header, even when its body lists a revert", () => {
    const fix = repo.commit("fix: y");
    repo.commit(
      `feat: squashed topic (#12)\n\n* Revert "fix: y"\n\nThis reverts commit ${fix}.\n\n* feat: z`,
    );
    expect(subjects(null)).toEqual(["squashed topic (#12)", "y"]);
  });

  it("keeps a revert whose target was already released, as a revert entry", () => {
    const released = repo.commit("feat: shipped");
    repo.tag("v1.0.0");
    repo.revert(released);
    const commits = parseCommits(parseGitLog(repo.log("v1.0.0")));
    expect(commits.map(({ type, subject }) => ({ type, subject }))).toEqual([
      { type: "revert", subject: 'Revert "feat: shipped"' },
    ]);
    expect(commits[0].parsed.revert).toEqual({
      header: "feat: shipped",
      hash: released,
    });
  });

  it("restores a commit whose revert was itself reverted", () => {
    const feature = repo.commit("feat: back and forth");
    const revert = repo.revert(feature);
    repo.revert(revert);
    expect(subjects(null)).toEqual(["back and forth"]);
  });

  it("understands the `Reapply` title newer git versions give to the revert of a revert", () => {
    const feature = repo.commit("feat: back and forth");
    const revert = repo.revert(feature);
    repo.commit(
      `Reapply "feat: back and forth"\n\nThis reverts commit ${revert}.`,
    );
    expect(subjects(null)).toEqual(["back and forth"]);
  });

  it("cancels the revert of a non-conventional commit too", () => {
    const sloppy = repo.commit("oops, wrong file");
    repo.revert(sloppy);
    expect(subjects(null)).toEqual([]);
  });
});
