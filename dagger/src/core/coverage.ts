import type { GantryConfig } from "./config.js";
import type { GateVerdict } from "./gates.js";
import { coverageGates } from "./parse/vitest.js";

/** Gantry's minimum line coverage when the config sets none: reported, never blocking. */
const ADVISORY_LINES = 80;

/**
 * The coverage gates of an istanbul coverage-summary.json: the config's minimums block; a repository that sets none
 * gets Gantry's advisory minimum as a warning, since failing it would fail a repository for Gantry's reasons.
 */
export function coverageMinimumGates(
  summary: string,
  minimums: GantryConfig["coverage"],
): GateVerdict[] {
  if (Object.values(minimums).some((minimum) => minimum !== undefined))
    return coverageGates(summary, minimums);
  return coverageGates(summary, { lines: ADVISORY_LINES }).map((gate) =>
    gate.status === "fail"
      ? {
          ...gate,
          status: "warn",
          details: [
            ...gate.details,
            `${ADVISORY_LINES}% is Gantry's advisory minimum: set coverage.lines in gantry.config.json to make it blocking`,
          ],
        }
      : gate,
  );
}
