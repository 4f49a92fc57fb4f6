import type { Container } from "@dagger.io/dagger";
import { exitCodeGate, type GateVerdict } from "../core/gates.js";
import { checkCommand, type RunnablePlan } from "../core/toolchain/commands.js";
import { capture, tail, type Project } from "./workspace.js";

/** A check whose output Gantry cannot parse (a repository script doing more than one thing), judged by its exit code. */
export async function runScript(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  name: string,
): Promise<GateVerdict> {
  const command = checkCommand(project.packageManager, plan);
  const result = await capture(workspace, command.args, "any", command.env);
  return {
    ...exitCodeGate(name, result.exitCode, tail(result, 20)),
    command: command.display,
  };
}
