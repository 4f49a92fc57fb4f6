import { skippedGate, type GateVerdict } from "../core/gates.js";
import { typecheckGate } from "../core/parse/tsc.js";
import { runCheck, runScript } from "./script.js";
import { withDependencies, type Project } from "./workspace.js";

/** The repository's type check: its typecheck script, or the TypeScript compiler over its tsconfig.json. */
export async function typecheckGates(project: Project): Promise<GateVerdict[]> {
  const plan = project.toolchain.checks.typecheck;
  if (plan.kind === "none") return [skippedGate("typecheck", plan.reason)];
  const workspace = await withDependencies(project);
  if (plan.kind !== "tool" || plan.tool !== "tsc")
    return [await runScript(project, workspace, plan, "typecheck")];
  return [
    await runCheck(project, workspace, plan, {
      reportFlags: plan.args.includes("--pretty") ? [] : ["--pretty", "false"],
      // 2: type errors; 1: a tsconfig error, reported from the output like them.
      resultCodes: [0, 1, 2],
      judge: (result) =>
        typecheckGate(`${result.stdout}\n${result.stderr}`, result.exitCode),
    }),
  ];
}
