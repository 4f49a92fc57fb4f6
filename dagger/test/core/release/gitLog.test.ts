import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  gitLogArgs,
  latestTag,
  RECORD_SEPARATOR,
  parseGitLog,
  semverTags,
} from "../../../src/core/release/gitLog.js";
import { AUTHOR, GitRepo } from "../../fixtures/release/gitRepo.js";
import { renderGitLog } from "../../fixtures/release/syntheticLog.js";

describe("gitLogArgs", () => {
  it("reads all history without a tag and the range after the tag otherwise", () => {
    expect(gitLogArgs(null).slice(-2)).toEqual(["HEAD", "--"]);
    expect(gitLogArgs("v1.2.0").slice(-2)).toEqual([
      "refs/tags/v1.2.0..HEAD",
      "--",
    ]);
  });
});

describe("parseGitLog on real git output", () => {
  let repo: GitRepo;
  beforeEach(() => {
    repo = new GitRepo();
  });
  afterEach(() => repo.dispose());

  it("extracts every field, keeps multi-paragraph messages intact and counts merge parents", () => {
    const first = repo.commit(
      "feat(api)!: first\n\nParagraph one\n#12 starts this line\n\nParagraph two\n\nBREAKING CHANGE: gone",
    );
    const merge = repo.mergeBranch("topic", ["fix: on a branch"]);

    const commits = parseGitLog(repo.log(null));

    expect(commits.map((commit) => commit.message)).toEqual([
      "Merge branch 'topic'",
      "fix: on a branch",
      repo.commits[0].message,
    ]);
    expect(commits[0]).toMatchObject({ hash: merge, parentCount: 2 });
    expect(commits[2]).toEqual({
      hash: first,
      shortHash: first.slice(0, 7),
      parentCount: 0,
      authorName: AUTHOR.name,
      authorEmail: AUTHOR.email,
      date: "2024-01-01T00:01:00+00:00",
      message:
        "feat(api)!: first\n\nParagraph one\n#12 starts this line\n\nParagraph two\n\nBREAKING CHANGE: gone",
    });
  });

  it("lists only the commits after the given tag", () => {
    repo.commit("feat: before");
    repo.tag("v1.0.0");
    repo.commit("fix: after");

    expect(
      parseGitLog(repo.log("v1.0.0")).map((commit) => commit.message),
    ).toEqual(["fix: after"]);
  });

  it("is reproduced byte for byte by the synthetic log renderer used for large histories", () => {
    repo.commit('feat(core): one\n\nbody with "quotes" and #7');
    repo.mergeBranch(
      "topic",
      ["fix: two", "perf: three"],
      "Merge pull request #3 from acme/topic",
    );
    repo.revert(repo.commits[0].hash);

    expect(renderGitLog([...repo.commits].reverse())).toBe(repo.log(null));
  });

  it("returns nothing for an empty range, even read with a trailing newline", () => {
    expect(parseGitLog("")).toEqual([]);
    expect(parseGitLog("\n")).toEqual([]);
  });

  it("refuses a record with missing fields, quoting its first 200 characters", () => {
    // Hand-written: a log printed without GIT_LOG_FORMAT's field separators.
    const record = `${"f".repeat(40)} ${"x".repeat(300)}`;
    expect(() => parseGitLog(`${RECORD_SEPARATOR}${record}`)).toThrow(
      new Error(
        `Malformed git log record (expected 7 fields): "${record.slice(0, 200)}"`,
      ),
    );
  });
});

describe("tag selection", () => {
  const tagList = [
    "v1.2.0",
    "v1.10.0",
    "v1.3.0-rc.1",
    "v1.11.0-beta.2",
    "latest",
    "v2",
    "release-9.9.9",
    "1.20.0",
    "vnext",
    "v1.4.0+build",
    "V3.0.0",
  ].join("\n");

  it("ignores non-semver and unprefixed tags and sorts by semver, not by text", () => {
    expect(semverTags(tagList).map((tag) => tag.name)).toEqual([
      "v1.11.0-beta.2",
      "v1.10.0",
      "v1.3.0-rc.1",
      "v1.2.0",
    ]);
  });

  it("picks the latest stable tag unless a channel is requested", () => {
    expect(latestTag(tagList)).toEqual({ name: "v1.10.0", version: "1.10.0" });
  });

  it("considers prereleases of the requested channel only", () => {
    expect(latestTag(tagList, { prerelease: "beta" })?.name).toBe(
      "v1.11.0-beta.2",
    );
    expect(latestTag(tagList, { prerelease: "rc" })?.name).toBe("v1.10.0");
  });

  it("honours a custom prefix, including an empty one", () => {
    expect(latestTag(tagList, { tagPrefix: "release-" })?.name).toBe(
      "release-9.9.9",
    );
    expect(latestTag(tagList, { tagPrefix: "" })?.name).toBe("1.20.0");
  });

  it("reads a tag list with CRLF line ends", () => {
    // Hand-written: git prints LF, but a list passed through Windows tooling ends its lines with CRLF.
    expect(semverTags("v1.0.0\r\nv1.1.0\r\n")).toEqual([
      { name: "v1.1.0", version: "1.1.0" },
      { name: "v1.0.0", version: "1.0.0" },
    ]);
  });

  it("returns null without any matching tag", () => {
    expect(latestTag("nightly\nfoo\n")).toBeNull();
  });
});
