import { describe, expect, it } from "vitest";
import type { ReleasePlan } from "../../../src/core/release/plan.js";
import {
  renderFailure,
  renderNoRelease,
  renderSummary,
} from "../../../src/core/release/summary.js";

const plan = {
  tag: "v1.5.0",
  previousTag: "v1.4.1",
  reason: "minor bump: 0 breaking, 1 feat, 0 fix/perf/revert, 0 other",
  notes: "### Features\n\n* add --json flag\n",
  dryRun: false,
} as ReleasePlan;

describe("renderSummary", () => {
  it("lists each step with what this run did and what an earlier run had done, then the notes", () => {
    const summary = renderSummary(plan, [
      {
        action: "push v1.5.0",
        status: "already done",
        detail: "origin has v1.5.0",
      },
      {
        action: "create the GitHub release v1.5.0",
        status: "done",
        detail: "https://github.com/acme/app/releases/tag/v1.5.0",
      },
    ]);
    expect(summary).toBe(
      [
        "Released v1.5.0 (minor bump: 0 breaking, 1 feat, 0 fix/perf/revert, 0 other; previous release v1.4.1)",
        "",
        "Steps:",
        "  [already done] push v1.5.0 (origin has v1.5.0)",
        "  [done]         create the GitHub release v1.5.0 (https://github.com/acme/app/releases/tag/v1.5.0)",
        "",
        "Release notes for v1.5.0:",
        "",
        plan.notes,
      ].join("\n"),
    );
  });

  it("says a dry run changed nothing and adds its remarks", () => {
    const summary = renderSummary(
      { ...plan, dryRun: true, previousTag: null },
      [{ action: "push v1.5.0", status: "would do" }],
      ["not checked"],
    );
    expect(summary).toMatch(
      /^Dry run: would release v1.5.0, nothing was changed \(.*; first release\)/,
    );
    expect(summary).toContain(
      "  [would do]     push v1.5.0\nNote: not checked\n",
    );
  });
});

describe("renderNoRelease", () => {
  it("gives the reason and states that nothing was made", () => {
    expect(
      renderNoRelease({
        kind: "no-release",
        current: "1.4.1",
        reason:
          "no releasable commits since 1.4.1 (0 breaking, 0 feat, 0 fix/perf/revert, 2 other)",
      }),
    ).toBe(
      "Nothing to release: no releasable commits since 1.4.1 (0 breaking, 0 feat, 0 fix/perf/revert, 2 other). No commit, tag or release was made.",
    );
  });
});

describe("renderFailure", () => {
  it("names the failed step, what was completed and that a rerun resumes, without the engine's serialized IDs", () => {
    const id = "CvnwBQoVeHhoMzpiOTNiNzk4MjBlMzUwYmFk".repeat(10);
    expect(
      renderFailure(
        "v1.5.0",
        "publish the image",
        `load Container@${id}: npm ci: exit code: 1`,
        ["commit", "push v1.5.0"],
      ),
    ).toBe(
      [
        'release v1.5.0: "publish the image" failed: load Container@…: npm ci: exit code: 1',
        "Completed before the failure:",
        "  - commit",
        "  - push v1.5.0",
        "Run the release again to complete the remaining steps; completed steps are skipped.",
      ].join("\n"),
    );
    expect(renderFailure("v1.5.0", "commit", "boom", [])).toContain(
      "Completed before the failure:\n  (nothing)\n",
    );
  });
});
