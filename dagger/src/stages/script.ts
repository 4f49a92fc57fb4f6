import type { Container } from "@dagger.io/dagger";
import { exitCodeGate, type GateVerdict } from "../core/gates.js";
import { checkCommand, type RunnablePlan } from "../core/toolchain/commands.js";
import { capture, tail, type ExecResult, type Project } from "./workspace.js";

/** How one check runs its command. */
export interface PlanOptions {
  /** Gantry's own flags (reports, caches), after the repository's arguments and left out of the command shown. */
  reportFlags?: string[];
  /** The exit codes that are the tool's verdicts; any other is a crash. */
  resultCodes: number[] | "any";
}

/** How one check runs its command and judges the result. */
export interface CheckRun extends PlanOptions {
  judge: (result: ExecResult) => GateVerdict | Promise<GateVerdict>;
}

/** A check's command after it ran: its outcome, and the command line that reproduces it by hand. */
export interface PlanRun {
  result: ExecResult;
  command: string;
}

/** Runs a check's command in the workspace, keeping its exit code and output. */
export async function runPlan(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  options: PlanOptions,
): Promise<PlanRun> {
  const command = checkCommand(
    project.packageManager,
    plan,
    options.reportFlags,
  );
  const result = await capture(
    workspace,
    command.args,
    options.resultCodes,
    command.env,
  );
  return { result, command: command.display };
}

/** Runs a check's command in the workspace and returns its gate, naming the command that reproduces it. */
export async function runCheck(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  run: CheckRun,
): Promise<GateVerdict> {
  const { result, command } = await runPlan(project, workspace, plan, run);
  return { ...(await run.judge(result)), command };
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
