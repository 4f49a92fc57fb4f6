import { minimumGate, type GateVerdict } from "../gates.js";
import { parseJestJson } from "./jest.js";
import type { TestCounts } from "./testCounts.js";

/** Counts vitest's `--reporter=json` output, which is jest's report format (a file that fails to load counts as one failed test). */
export function parseVitestJson(json: string, root: string): TestCounts {
  return parseJestJson(json, root);
}

interface CoverageSummary {
  total: Record<
    "lines" | "statements" | "functions" | "branches",
    { pct: number | "Unknown" }
  >;
}

/** Gates istanbul's coverage-summary.json against each configured minimum percentage. */
export function coverageGates(
  json: string,
  minimums: Partial<Record<keyof CoverageSummary["total"], number>>,
): GateVerdict[] {
  const { total } = JSON.parse(json) as CoverageSummary;
  return Object.entries(minimums)
    .filter(
      (entry): entry is [keyof CoverageSummary["total"], number] =>
        entry[1] !== undefined,
    )
    .map(([metric, minimum]) => {
      const pct = total[metric].pct;
      return minimumGate(
        `coverage: ${metric}`,
        typeof pct === "number" ? pct : 0,
        minimum,
      );
    });
}
