/**
 * The mutation score of several Stryker JSON reports taken together (each mutant belongs to one file, so parts run
 * over disjoint files add up to one run over all of them), as Stryker counts it: killed and timed out against those
 * plus survived and not covered; type errors are not counted. Prints the total, each file with an undetected mutant,
 * and those mutants.
 *
 *   tsx scripts/mutationScore.ts reports/mutation/part-*.json
 */
import { readFileSync } from "node:fs";

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

const files = new Map<
  string,
  { detected: number; undetected: number; source: string[]; open: Mutant[] }
>();
for (const path of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(path, "utf8")) as Report;
  for (const [name, file] of Object.entries(report.files)) {
    const entry = files.get(name) ?? {
      detected: 0,
      undetected: 0,
      source: file.source.split("\n"),
      open: [],
    };
    for (const mutant of file.mutants) {
      if (DETECTED.has(mutant.status)) entry.detected++;
      if (UNDETECTED.has(mutant.status)) {
        entry.undetected++;
        entry.open.push(mutant);
      }
    }
    files.set(name, entry);
  }
}

const percent = (detected: number, undetected: number) =>
  ((100 * detected) / (detected + undetected || 1)).toFixed(2);
let detected = 0;
let undetected = 0;
for (const file of files.values()) {
  detected += file.detected;
  undetected += file.undetected;
}
console.log(
  `mutation score: ${percent(detected, undetected)} % (${detected} detected of ${detected + undetected}, ${files.size} files)`,
);
for (const [name, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  if (!file.undetected) continue;
  console.log(
    `\n${name}: ${percent(file.detected, file.undetected)} % (${file.undetected} undetected)`,
  );
  for (const mutant of file.open) {
    const line = mutant.location.start.line;
    console.log(
      `  ${line} ${mutant.status} ${mutant.mutatorName}: ${file.source[line - 1]?.trim()}  →  ${mutant.replacement ?? ""}`,
    );
  }
}
