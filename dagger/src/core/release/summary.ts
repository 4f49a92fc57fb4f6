import type { NoRelease, ReleasePlan } from "./plan.js";

/** What became of one release step: done by this run, found already done (a rerun), or only planned (dry run). */
export interface StepOutcome {
  action: string;
  status: "done" | "already done" | "would do";
  /** What the step produced (a URL, a digest) or how it was found done. */
  detail?: string;
}

const MARKS: Record<StepOutcome["status"], string> = {
  done: "[done]        ",
  "already done": "[already done]",
  "would do": "[would do]    ",
};

/** The text `dagger call release` prints: version, why, each step's outcome, remarks, then the release notes. */
export function renderSummary(
  plan: ReleasePlan,
  outcomes: readonly StepOutcome[],
  remarks: readonly string[] = [],
): string {
  const heading = plan.dryRun
    ? `Dry run: would release ${plan.tag}, nothing was changed`
    : `Released ${plan.tag}`;
  const since =
    plan.previousTag === null
      ? "first release"
      : `previous release ${plan.previousTag}`;
  const steps = outcomes.map(
    ({ action, status, detail }) =>
      `  ${MARKS[status]} ${action}${detail ? ` (${detail})` : ""}`,
  );
  return [
    `${heading} (${plan.reason}; ${since})`,
    "",
    "Steps:",
    ...steps,
    ...remarks.map((remark) => `Note: ${remark}`),
    "",
    `Release notes for ${plan.tag}:`,
    "",
    plan.notes,
  ].join("\n");
}

/** The text printed when no commit since the last release asks for one. */
export function renderNoRelease(result: NoRelease): string {
  return `Nothing to release: ${result.reason}. No commit, tag or release was made.`;
}

// Engine errors embed serialized object IDs (long base64 runs) that say nothing to a reader.
const SERIALIZED_ID = /[A-Za-z0-9+/=]{120,}/g;

/** The error of a failed step: what failed and why, what was completed before, and that a rerun resumes. */
export function renderFailure(
  tag: string,
  action: string,
  reason: string,
  completed: readonly string[],
): string {
  return [
    `release ${tag}: "${action}" failed: ${reason.replace(SERIALIZED_ID, "…")}`,
    "Completed before the failure:",
    ...(completed.length
      ? completed.map((done) => `  - ${done}`)
      : ["  (nothing)"]),
    "Run the release again to complete the remaining steps; completed steps are skipped.",
  ].join("\n");
}
