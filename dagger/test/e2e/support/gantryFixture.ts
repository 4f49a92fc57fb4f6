import { dag, type Directory, type Service } from "@dagger.io/dagger";
import { expect, it } from "vitest";
import { CiStage, ReportFormat } from "../../../src/core/report.js";
import { Gantry } from "../../../src/index.js";
import {
  E2E_TIMEOUT,
  hostRepository,
  inEngine,
  SAMPLE_APP,
} from "../engine.js";

// The setup the module's e2e files share: the module itself, the sample app, one case per engine session, and the
// report and health checks several files make.

/** The module under test, its functions called as `dagger call` calls them. */
export const gantry = new Gantry();

/** The sample application fixture, as the module receives it as --source. */
export const sampleApp = (): Directory => hostRepository(SAMPLE_APP);

/** One e2e case: `body` runs in a Dagger session of its own on the engine, within E2E_TIMEOUT. */
export function engineCase(name: string, body: () => Promise<void>): void {
  it(name, () => inEngine(body), E2E_TIMEOUT);
}

/** ci's stages but the load test: k6 cannot be built on this machine (see test/engine/README.md). */
export const WITHOUT_LOAD = [CiStage.load];

/** `ci` on `repository` without its load stage, as markdown, expected to pass; the report, for its rows. */
export async function passingCi(repository: Directory): Promise<string> {
  const report = await gantry.ci(
    repository,
    ReportFormat.markdown,
    WITHOUT_LOAD,
  );
  expect(report).toContain("## Gantry quality gates: passed");
  return report;
}

/** The row of `gate` in a text or markdown report, for asserting on its status, figure and command together. */
export function reportRow(report: string, gate: string): string {
  const row = report
    .split("\n")
    .find(
      (line) => line.startsWith(`| ${gate} |`) || line.startsWith(`${gate} `),
    );
  if (!row) throw new Error(`no "${gate}" row in:\n${report}`);
  return row;
}

/** What the service answers on GET /healthz at port 3000: "<status> <body>", asked from a container bound to it. */
export function healthz(service: Service): Promise<string> {
  return dag
    .container()
    .from("node:22-bookworm-slim")
    .withServiceBinding("app", service)
    .withExec([
      "node",
      "-e",
      "fetch('http://app:3000/healthz').then(async (r) => console.log(r.status, await r.text()))",
    ])
    .stdout()
    .then((answer) => answer.trim());
}
