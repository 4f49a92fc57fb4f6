import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/inputError.js";
import { latestTag } from "../../../src/core/release/gitLog.js";
import {
  imageTags,
  planRelease,
  type ReleaseOptions,
  type ReleasePlan,
} from "../../../src/core/release/plan.js";
import { GitRepo } from "../../fixtures/release/gitRepo.js";
import { syntheticHistory } from "../../fixtures/release/syntheticLog.js";

const baseOptions: ReleaseOptions = {
  repository: "acme/gantry",
  date: "2024-05-01",
};

/** Plans a release of `repo` the way the Dagger stage does: list tags, log since the channel's latest tag, plan. */
function plan(repo: GitRepo, options: Partial<ReleaseOptions> = {}) {
  const finalOptions = { ...baseOptions, ...options };
  const tagList = repo.tagList();
  const from = latestTag(tagList, finalOptions);
  return planRelease({
    tagList,
    log: repo.log(from?.name ?? null),
    options: finalOptions,
  });
}

/** Plans, then commits and tags like the stage would; returns the plan. */
async function release(
  repo: GitRepo,
  options: Partial<ReleaseOptions> = {},
): Promise<ReleasePlan> {
  const result = await plan(repo, options);
  if (result.kind !== "release")
    throw new Error(`expected a release, got: ${result.reason}`);
  repo.commit(result.commitMessage);
  repo.tag(result.tag);
  return result;
}

describe("planRelease on a real repository", () => {
  let repo: GitRepo;
  beforeEach(() => {
    repo = new GitRepo();
    repo.commit("feat: initial");
    repo.tag("v1.4.1");
    repo.tag("nightly");
  });
  afterEach(() => repo.dispose());

  it("plans every step of a stable release", async () => {
    const fix = repo.commit("fix(cli): handle empty config (#42)");
    const risky = repo.commit("feat: risky idea");
    repo.mergeBranch(
      "json",
      ["feat: add --json flag\n\nCloses #12"],
      "Merge pull request #13 from acme/json",
    );
    repo.revert(risky);
    repo.commit("Update README");

    const result = await plan(repo, { image: "ghcr.io/acme/gantry" });

    const json = repo.commits.find((commit) =>
      commit.message.startsWith("feat: add --json"),
    )!.hash;
    expect(result).toEqual({
      kind: "release",
      version: "1.5.0",
      tag: "v1.5.0",
      previousTag: "v1.4.1",
      isPrerelease: false,
      bump: "minor",
      reason: "minor bump: 0 breaking, 1 feat, 1 fix/perf/revert, 0 other",
      commitMessage: "chore(release): v1.5.0",
      changelogSection: expect.any(String),
      notes: expect.any(String),
      imageTags: ["1.5.0", "1.5", "1", "latest"],
      dryRun: false,
    });
    const notes = [
      "### Features",
      "",
      `* add --json flag ([${json.slice(0, 7)}](https://github.com/acme/gantry/commit/${json})), closes [#12](https://github.com/acme/gantry/issues/12)`,
      "",
      "### Bug Fixes",
      "",
      `* **cli:** handle empty config ([#42](https://github.com/acme/gantry/issues/42)) ([${fix.slice(0, 7)}](https://github.com/acme/gantry/commit/${fix}))`,
      "",
    ].join("\n");
    expect(result.kind === "release" && result.notes).toBe(notes);
    expect(result.kind === "release" && result.changelogSection).toBe(
      `## [1.5.0](https://github.com/acme/gantry/compare/v1.4.1...v1.5.0) (2024-05-01)\n\n${notes}`,
    );
  });

  it("publishes no image tags without an image, and echoes dry runs", async () => {
    repo.commit("fix: a");
    const result = await plan(repo, { image: "", dryRun: true });
    expect(result).toMatchObject({
      kind: "release",
      version: "1.4.2",
      dryRun: true,
      imageTags: [],
    });
  });

  it("walks a prerelease channel: rc.1, rc.2, a higher target, then the final release", async () => {
    repo.commit("fix: a");
    expect(
      (await release(repo, { prerelease: "rc", image: "ghcr.io/acme/gantry" }))
        .version,
    ).toBe("1.4.2-rc.1");
    repo.commit("fix: b");
    const second = await release(repo, {
      prerelease: "rc",
      image: "ghcr.io/acme/gantry",
    });
    expect(second).toMatchObject({
      version: "1.4.2-rc.2",
      previousTag: "v1.4.2-rc.1",
      isPrerelease: true,
      imageTags: ["1.4.2-rc.2"],
    });
    repo.commit("feat: c");
    expect((await release(repo, { prerelease: "rc" })).version).toBe(
      "1.5.0-rc.1",
    );

    const final = await release(repo);
    expect(final).toMatchObject({ version: "1.5.0", previousTag: "v1.4.1" });
    expect(final.notes.match(/^\* .*$/gm)).toEqual([
      expect.stringMatching(/^\* c /),
      expect.stringMatching(/^\* a /),
      expect.stringMatching(/^\* b /),
    ]);
  });

  it("reports no release until something releasable lands after the last release", async () => {
    repo.commit("fix: a");
    await release(repo);
    repo.commit("docs: only docs");
    expect(await plan(repo)).toEqual({
      kind: "no-release",
      current: "1.4.2",
      reason:
        "no releasable commits since 1.4.2 (0 breaking, 0 feat, 0 fix/perf/revert, 1 other)",
    });
  });

  it("honours a forced version and a custom tag prefix", async () => {
    repo.tag("gantry@3.1.0");
    repo.commit("docs: only docs");
    expect(
      await plan(repo, { tagPrefix: "gantry@", forcedVersion: "4.0.0" }),
    ).toMatchObject({
      version: "4.0.0",
      tag: "gantry@4.0.0",
      previousTag: "gantry@3.1.0",
      bump: "major",
    });
  });

  it("rejects malformed options before doing any work", async () => {
    for (const date of ["May 1st", "2024-05-01T10:00", "on 2024-05-01"])
      await expect(plan(repo, { date })).rejects.toThrow(
        new InputError(`date must be YYYY-MM-DD, got "${date}"`),
      );
    await expect(plan(repo, { repository: "gantry" })).rejects.toThrow(
      InputError,
    );
    await expect(plan(repo, { forcedVersion: "1.4.1" })).rejects.toThrow(
      "--version 1.4.1 must be greater than the latest released version 1.4.1",
    );
  });
});

describe("imageTags", () => {
  it("adds floating tags for stable versions only", () => {
    expect(imageTags("2.3.4")).toEqual(["2.3.4", "2.3", "2", "latest"]);
    expect(imageTags("2.3.4-rc.1")).toEqual(["2.3.4-rc.1"]);
  });

  it("leaves each floating tag to a newer stable release in its range", () => {
    const released = ["2.3.4", "2.4.0", "3.0.0-rc.1", "1.9.0"];
    expect(imageTags("2.3.5", released)).toEqual(["2.3.5", "2.3"]);
    expect(imageTags("2.4.1", released)).toEqual([
      "2.4.1",
      "2.4",
      "2",
      "latest",
    ]);
    expect(imageTags("2.2.9", ["2.3.0"])).toEqual(["2.2.9", "2.2"]);
    expect(imageTags("1.9.1", released)).toEqual(["1.9.1", "1.9", "1"]);
    // X.Y is taken by a newer patch of the same minor only, not by the same minor of another major.
    expect(imageTags("2.3.5", ["2.3.6"])).toEqual(["2.3.5"]);
    expect(imageTags("2.3.5", ["3.3.0"])).toEqual(["2.3.5", "2.3", "2"]);
  });
});

describe("planRelease of the first release", () => {
  it("has no previous tag to compare with", async () => {
    const repo = new GitRepo();
    try {
      const initial = repo.commit("feat: initial");
      const result = await planRelease({
        tagList: repo.tagList(),
        log: repo.log(null),
        options: baseOptions,
      });

      expect(result).toMatchObject({
        version: "0.1.0",
        previousTag: null,
        changelogSection: `## 0.1.0 (2024-05-01)\n\n### Features\n\n* initial ([${initial.slice(0, 7)}](https://github.com/acme/gantry/commit/${initial}))\n`,
      });
    } finally {
      repo.dispose();
    }
  });
});

describe("planRelease of a hotfix branch", () => {
  it("takes the previous release from the branch and the floating image tags from every tag", async () => {
    const repo = new GitRepo();
    try {
      repo.commit("feat: initial");
      repo.tag("v1.0.0");
      repo.commit("feat: new line");
      repo.tag("v1.1.0");
      repo.git("checkout", "--quiet", "-b", "hotfix-1.0", "v1.0.0");
      repo.commit("fix: patch the old line");

      const result = await planRelease({
        tagList: repo.git("tag", "--list", "--merged", "HEAD"),
        allTagList: repo.tagList(),
        log: repo.log("v1.0.0"),
        options: { ...baseOptions, image: "ghcr.io/acme/gantry" },
      });

      expect(result).toMatchObject({
        version: "1.0.1",
        previousTag: "v1.0.0",
        imageTags: ["1.0.1", "1.0"],
      });
    } finally {
      repo.dispose();
    }
  });
});

describe("planRelease on a 10 000-commit history", () => {
  it("finds the breaking change, drops merges, reverts and noise, and lists every releasable commit", async () => {
    const history = syntheticHistory(10_000);
    const result = await planRelease({
      tagList: "v2.4.1\n",
      log: history.log,
      options: baseOptions,
    });

    expect(result).toMatchObject({
      kind: "release",
      version: "3.0.0",
      bump: "major",
    });
    const notes = result.kind === "release" ? result.notes : "";
    const entriesUnder = (heading: string) =>
      notes.split(`### ${heading}\n\n`)[1].split("\n\n")[0].split("\n").length;
    expect(history).toMatchObject({
      features: 1000,
      fixes: 2000,
      perfs: 1000,
      breaking: 1,
      revertedPairs: 1000,
    });
    expect(entriesUnder("⚠ BREAKING CHANGES")).toBe(history.breaking);
    expect(entriesUnder("Features")).toBe(history.features);
    expect(entriesUnder("Bug Fixes")).toBe(history.fixes);
    expect(entriesUnder("Performance Improvements")).toBe(history.perfs);
    expect(notes).not.toMatch(/experimental|README|merged topic|Revert/);
  });
});
