import { skippedGate, type GateVerdict } from "../core/gates.js";
import { typecheckGate } from "../core/parse/tsc.js";
import { checkCommand } from "../core/toolchain/commands.js";
import { runScript } from "./script.js";
import { capture, withDependencies, type Project } from "./workspace.js";

/** The repository's type check: its typecheck script, or the TypeScript compiler over its tsconfig.json. */
export async function typecheckGates(project: Project): Promise<GateVerdict[]> {
  const plan = project.toolchain.checks.typecheck;
  if (plan.kind === "none") return [skippedGate("typecheck", plan.reason)];
  const workspace = await withDependencies(project);
  if (plan.kind !== "tool" || plan.tool !== "tsc")
    return [await runScript(project, workspace, plan, "typecheck")];
  const command = checkCommand(
    project.packageManager,
    plan,
    plan.args.includes("--pretty") ? [] : ["--pretty", "false"],
  );
  const result = await capture(
    workspace,
    command.args,
    // 2: type errors; 1: a tsconfig error, reported from the output like them.
    [0, 1, 2],
    command.env,
  );
  return [
    {
      ...typecheckGate(`${result.stdout}\n${result.stderr}`, result.exitCode),
      command: command.display,
    },
  ];
}
