import { allPassed, timeStage, type Gate } from "../core/gates.js";
import { LoadProfile } from "../core/config.js";
import { CiStage, renderReport, type ReportFormat } from "../core/report.js";
import { imageGates } from "./build.js";
import { lighthouseGates, lighthousePages } from "./lighthouse.js";
import { lintGates } from "./lint.js";
import { loadTestGates } from "./loadTest.js";
import { scanGates } from "./scan.js";
import { sizeBudgetGates, type PendingBase } from "./sizeBudget.js";
import { runTests } from "./test.js";
import { typecheckGates } from "./typecheck.js";
import { toolchainGate } from "../core/toolchain/toolchain.js";
import type { Project } from "./workspace.js";

/**
 * Every stage at once (the engine dedupes the image build they share); each failure is reported, none stops the
 * others. The size budget belongs to the build stage and compares with `sizeBase` when there is one.
 */
export async function runAllGates(
  project: Project,
  skip: Set<CiStage>,
  sizeBase?: PendingBase,
): Promise<Gate[]> {
  const stages = await Promise.all([
    timeStage("toolchain", async () => [toolchainGate(project.toolchain)]),
    timeStage("lint", () => lintGates(project), skip.has(CiStage.lint)),
    timeStage(
      "typecheck",
      () => typecheckGates(project),
      skip.has(CiStage.typecheck),
    ),
    timeStage(
      "tests",
      async () => (await runTests(project)).gates,
      skip.has(CiStage.test),
    ),
    timeStage("build", () => imageGates(project), skip.has(CiStage.build)),
    timeStage(
      "size",
      () => sizeBudgetGates(project, sizeBase),
      skip.has(CiStage.build),
    ),
    timeStage("scan", () => scanGates(project), skip.has(CiStage.scan)),
    // Only for a repository with a web front end to audit: no row at all elsewhere.
    lighthousePages(project).length
      ? timeStage(
          "lighthouse",
          () => lighthouseGates(project),
          skip.has(CiStage.lighthouse),
        )
      : [],
    timeStage(
      "load (smoke)",
      () => loadTestGates(project, LoadProfile.smoke),
      skip.has(CiStage.load),
    ),
  ]);
  return stages.flat();
}

/** The report of `gates`, thrown as the error when any gate failed so the caller exits non-zero. */
export function reportOrThrow(gates: Gate[], format: ReportFormat): string {
  const report = renderReport(gates, format);
  if (!allPassed(gates)) throw new Error(report);
  return report;
}
