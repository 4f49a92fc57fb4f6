import type { Container } from "@dagger.io/dagger";
import { exitCodeGate, type GateVerdict } from "../core/gates.js";
import { checkCommand, type RunnablePlan } from "../core/toolchain/commands.js";
import { capture, tail, type ExecResult, type Project } from "./workspace.js";

/** How one check runs its command and judges the result. */
export interface CheckRun {
  /** Gantry's report flags, after the repository's own arguments. */
  reportFlags?: string[];
  /** The exit codes that are the tool's verdicts; any other is a crash. */
  resultCodes: number[] | "any";
  judge: (result: ExecResult) => GateVerdict | Promise<GateVerdict>;
}

/** Runs a check's command in the workspace and returns its gate, naming the command that reproduces it. */
export async function runCheck(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  run: CheckRun,
): Promise<GateVerdict> {
  const command = checkCommand(project.packageManager, plan, run.reportFlags);
  const result = await capture(
    workspace,
    command.args,
    run.resultCodes,
    command.env,
  );
  return { ...(await run.judge(result)), command: command.display };
}

/** A check whose output Gantry cannot parse (a repository script doing more than one thing), judged by its exit code. */
export function runScript(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  name: string,
): Promise<GateVerdict> {
  return runCheck(project, workspace, plan, {
    resultCodes: "any",
    judge: (result) => exitCodeGate(name, result.exitCode, tail(result, 20)),
  });
}
