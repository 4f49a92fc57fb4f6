import { dag } from "@dagger.io/dagger";
import {
  allPassed,
  timeStage,
  type Gate,
  type GateVerdict,
} from "../core/gates.js";
import { LoadProfile } from "../core/config.js";
import { CiStage, renderReport, type ReportFormat } from "../core/report.js";
import { checkedImage, imageGates } from "./build.js";
import { lighthouseGates, lighthousePages } from "./lighthouse.js";
import { lintGates } from "./lint.js";
import { loadTestGates } from "./loadTest.js";
import { scanGates } from "./scan.js";
import { sizeBudgetGates, type PendingBase } from "./sizeBudget.js";
import { runTests } from "./test.js";
import { typecheckGates } from "./typecheck.js";
import { throttleUntil, type Scheduled } from "../core/schedule.js";
import { toolchainGate } from "../core/toolchain/toolchain.js";
import type { Project } from "./workspace.js";

/**
 * Every stage at once (the engine dedupes the image build they share), the checks paced beside the image build as
 * `besideLoadTestedImage` says; each failure is reported, none stops the others. The size budget belongs to the build
 * stage and compares with `sizeBase` when there is one.
 */
export async function runAllGates(
  project: Project,
  skip: Set<CiStage>,
  sizeBase?: PendingBase,
): Promise<Gate[]> {
  const schedule = besideLoadTestedImage(project, skip);
  // Not awaited before the build and the load test start: on a cold engine the answer waits for the Node image.
  const besideBuild = async (
    name: string,
    stage: () => Promise<GateVerdict[]>,
    skipped: boolean,
  ) => (await schedule)(() => timeStage(name, stage, skipped));
  const stages = await Promise.all([
    timeStage("toolchain", async () => [toolchainGate(project.toolchain)]),
    besideBuild("lint", () => lintGates(project), skip.has(CiStage.lint)),
    besideBuild(
      "typecheck",
      () => typecheckGates(project),
      skip.has(CiStage.typecheck),
    ),
    besideBuild(
      "tests",
      async () => (await runTests(project)).gates,
      skip.has(CiStage.test),
    ),
    timeStage("build", () => imageGates(project), skip.has(CiStage.build)),
    besideBuild(
      "size",
      () => sizeBudgetGates(project, sizeBase),
      skip.has(CiStage.build),
    ),
    besideBuild("scan", () => scanGates(project), skip.has(CiStage.scan)),
    // Only for a repository with a web front end to audit: no row at all elsewhere.
    lighthousePages(project).length
      ? besideBuild(
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

/**
 * How the other stages share the engine with the image build when a load test follows it: building the image and
 * load-testing it is ci's longest chain, and the engine gives every running command an equal share of the CPU, so on
 * a small engine the checks started beside the build would make it, and so ci, finish last. Until the image is
 * built, as many stages run as the engine has cores but one; then all of them, beside the load test, which mostly
 * waits on the network.
 */
async function besideLoadTestedImage(
  project: Project,
  skip: Set<CiStage>,
): Promise<Scheduled> {
  const image = skip.has(CiStage.load) ? null : checkedImage(project);
  if (!image) return (stage) => stage();
  // An engine that cannot say (the Node image does not pull) counts as a small one; the stages report that failure.
  const cores = Number.parseInt(
    await dag
      .container()
      .from(project.toolchain.nodeImage)
      .withExec(["nproc"])
      .stdout()
      .catch(() => ""),
    10,
  );
  return throttleUntil(Math.max(1, (cores || 1) - 1), image.sync());
}

/** The report of `gates`, thrown as the error when any gate failed so the caller exits non-zero. */
export function reportOrThrow(gates: Gate[], format: ReportFormat): string {
  const report = renderReport(gates, format);
  if (!allPassed(gates)) throw new Error(report);
  return report;
}
