import { describe, expect, it } from "vitest";
import { parseCommits } from "../../../src/core/release/commits.js";
import { InputError } from "../../../src/core/inputError.js";
import { semverTags } from "../../../src/core/release/gitLog.js";
import {
  nextVersion,
  type VersionOptions,
} from "../../../src/core/release/version.js";
import { rawCommits } from "../../fixtures/release/syntheticLog.js";

/** Next version for `messages` (newest first) on top of `tags`. */
function next(tags: string[], messages: string[], options?: VersionOptions) {
  return nextVersion(
    semverTags(tags.join("\n")),
    parseCommits(rawCommits(...messages)),
    options,
  );
}

describe("nextVersion on stable releases", () => {
  it.each([
    ["fix → patch", ["fix: a", "docs: b"], "1.2.4", "patch"],
    ["perf → patch", ["perf: a"], "1.2.4", "patch"],
    ["feat → minor", ["fix: a", "feat(x): b"], "1.3.0", "minor"],
    ["`!` → major", ["feat!: a", "fix: b"], "2.0.0", "major"],
    [
      "BREAKING CHANGE footer → major",
      ["chore: a\n\nBREAKING CHANGE: b"],
      "2.0.0",
      "major",
    ],
  ] as const)("%s", (_, messages, expected, bump) => {
    const decision = next(["v1.2.3"], [...messages]);
    expect(decision).toMatchObject({ current: "1.2.3", next: expected, bump });
  });

  it.each([
    [
      "a feature, a fix and a chore",
      ["v1.2.3"],
      ["feat: a", "fix: b", "chore: c"],
      {},
      "minor bump: 0 breaking, 1 feat, 1 fix/perf/revert, 1 other",
    ],
    [
      "a breaking change and a fix",
      ["v1.2.3"],
      ["feat!: a", "fix: b"],
      {},
      "major bump: 1 breaking, 0 feat, 1 fix/perf/revert, 0 other",
    ],
    [
      "nothing releasable and no tag yet",
      [],
      ["chore: a"],
      {},
      "no releasable commits since the beginning of history (0 breaking, 0 feat, 0 fix/perf/revert, 1 other)",
    ],
    [
      "a fix on an open rc",
      ["v1.2.0", "v1.3.0-rc.1"],
      ["fix: a"],
      { prerelease: "rc" },
      "patch bump: 0 breaking, 0 feat, 1 fix/perf/revert, 0 other; continues 1.3.0-rc.1",
    ],
  ])("explains the decision: %s", (_, tags, messages, options, reason) => {
    expect(next(tags, messages, options).reason).toBe(reason);
  });

  it("applies the 0.x rule: breaking and feat bump minor, fix bumps patch", () => {
    expect(next(["v0.4.2"], ["feat!: a"])).toMatchObject({
      next: "0.5.0",
      bump: "minor",
    });
    expect(next(["v0.4.2"], ["feat: a"])).toMatchObject({
      next: "0.5.0",
      bump: "minor",
    });
    expect(next(["v0.4.2"], ["fix: a"])).toMatchObject({
      next: "0.4.3",
      bump: "patch",
    });
  });

  it("starts from 0.0.0 when nothing is tagged yet", () => {
    expect(next([], ["feat: first"])).toMatchObject({
      current: null,
      next: "0.1.0",
      bump: "minor",
    });
  });

  it("ignores prerelease tags when releasing stable", () => {
    expect(next(["v1.2.3", "v1.3.0-rc.2"], ["feat: a"])).toMatchObject({
      current: "1.2.3",
      next: "1.3.0",
    });
  });

  it("reports no release when nothing releasable happened", () => {
    const decision = next(
      ["v1.2.3"],
      ["chore: a", "docs: b", "ci: c", "Update README"],
    );
    expect(decision).toMatchObject({
      current: "1.2.3",
      next: null,
      bump: null,
    });
    expect(decision.reason).toBe(
      "no releasable commits since 1.2.3 (0 breaking, 0 feat, 0 fix/perf/revert, 3 other)",
    );
  });
});

describe("nextVersion on a prerelease channel", () => {
  const rc = { prerelease: "rc" };

  it("opens the channel at rc.1 of the target version", () => {
    expect(next(["v1.2.0"], ["feat: a"], rc)).toMatchObject({
      current: "1.2.0",
      next: "1.3.0-rc.1",
      bump: "minor",
    });
  });

  it("increments the rc number while the target version is unchanged", () => {
    expect(next(["v1.2.0", "v1.3.0-rc.1"], ["fix: a"], rc)).toMatchObject({
      current: "1.3.0-rc.1",
      next: "1.3.0-rc.2",
      bump: "minor",
    });
    expect(next(["v1.2.0", "v1.3.0-rc.1"], ["feat: b"], rc).next).toBe(
      "1.3.0-rc.2",
    );
  });

  it("moves to rc.1 of a higher target when new commits raise the bump", () => {
    expect(next(["v1.2.0", "v1.2.1-rc.3"], ["feat: a"], rc)).toMatchObject({
      next: "1.3.0-rc.1",
      bump: "minor",
    });
    expect(next(["v1.2.0", "v1.3.0-rc.2"], ["feat!: a"], rc)).toMatchObject({
      next: "2.0.0-rc.1",
      bump: "major",
    });
  });

  it("ignores other channels and rcs superseded by a stable release", () => {
    expect(next(["v1.2.0", "v1.3.0-beta.4"], ["fix: a"], rc).next).toBe(
      "1.2.1-rc.1",
    );
    expect(next(["v1.3.0", "v1.3.0-rc.2"], ["fix: a"], rc).next).toBe(
      "1.3.1-rc.1",
    );
  });

  it("reports no release when nothing releasable happened since the last rc", () => {
    expect(next(["v1.2.0", "v1.3.0-rc.1"], ["chore: a"], rc)).toMatchObject({
      current: "1.3.0-rc.1",
      next: null,
    });
  });
});

describe("nextVersion with --version", () => {
  it("uses the forced version even without releasable commits", () => {
    expect(
      next(["v1.2.3"], ["chore: a"], { forcedVersion: "2.0.0" }),
    ).toMatchObject({
      next: "2.0.0",
      bump: "major",
      reason: "version forced with --version 2.0.0",
    });
  });

  it("takes a forced version as the first release when nothing is tagged", () => {
    expect(next([], [], { forcedVersion: "1.0.0" })).toMatchObject({
      current: null,
      next: "1.0.0",
      bump: "major",
    });
  });

  it("accepts a forced prerelease when no channel is requested", () => {
    expect(next(["v1.2.3"], [], { forcedVersion: "2.0.0-rc.1" }).next).toBe(
      "2.0.0-rc.1",
    );
  });

  it("accepts a forced prerelease on the requested channel", () => {
    expect(
      next(["v1.2.3"], [], { forcedVersion: "1.3.0-rc.1", prerelease: "rc" })
        .next,
    ).toBe("1.3.0-rc.1");
  });

  it("rejects a value that is not semver, naming --version", () => {
    expect(() => next(["v1.2.3"], [], { forcedVersion: "two" })).toThrow(
      new InputError(
        '--version must be a semantic version such as 2.0.0 or 2.0.0-rc.1, got "two"',
      ),
    );
  });

  it("rejects a version that is not above every existing release", () => {
    expect(() => next(["v1.2.3"], [], { forcedVersion: "1.2.3" })).toThrow(
      "--version 1.2.3 must be greater than the latest released version 1.2.3",
    );
    expect(() =>
      next(["v1.2.3", "v2.0.0-rc.1"], [], { forcedVersion: "1.9.0" }),
    ).toThrow("must be greater than the latest released version 2.0.0-rc.1");
  });

  it("rejects a forced version off the requested prerelease channel", () => {
    expect(() =>
      next(["v1.2.3"], [], { forcedVersion: "1.3.0", prerelease: "rc" }),
    ).toThrow('--version 1.3.0 is not a "rc" prerelease');
  });
});
