import type { GateVerdict } from "../core/gates.js";
import { typecheckGate } from "../core/parse/tsc.js";
import { capture, withDependencies, type Project } from "./workspace.js";

/** The TypeScript compiler over the repository's tsconfig.json, emitting nothing. */
export async function typecheckGates(project: Project): Promise<GateVerdict[]> {
  const result = await capture(
    await withDependencies(project),
    project.packageManager.exec("tsc", ["--noEmit", "--pretty", "false"]),
  );
  return [typecheckGate(`${result.stdout}\n${result.stderr}`, result.exitCode)];
}
