import type { Secret } from "@dagger.io/dagger";
import type { ReleasePlan } from "../../core/release/plan.js";
import { renderFailure, type StepOutcome } from "../../core/release/summary.js";

/** One step of the release with its state read beforehand: `alreadyDone` says how a previous run was found to have done it. */
export interface Step {
  action: string;
  alreadyDone: string | null;
  /** Does the step; only called outside a dry run, where the token is required. */
  perform: (token: Secret) => Promise<string | undefined>;
}

/** Performs the steps not already done (none in a dry run); a failure lists what was done, since a rerun resumes from there. */
export async function runSteps(
  steps: Step[],
  plan: ReleasePlan,
  token: Secret | undefined,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const { action, alreadyDone, perform } of steps) {
    if (alreadyDone !== null) {
      outcomes.push({ action, status: "already done", detail: alreadyDone });
    } else if (plan.dryRun || !token) {
      // The release requires the token outside a dry run.
      outcomes.push({ action, status: "would do" });
    } else {
      try {
        outcomes.push({ action, status: "done", detail: await perform(token) });
      } catch (error) {
        throw new Error(
          renderFailure(
            plan.tag,
            action,
            (error as Error).message,
            outcomes.map((outcome) => outcome.action),
          ),
          { cause: error },
        );
      }
    }
  }
  return outcomes;
}
