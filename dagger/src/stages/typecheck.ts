import type { GateVerdict } from "../core/gates.js";
import { typecheckGate } from "../core/parse/tsc.js";
import { capture, withDependencies, type Project } from "./workspace.js";

/** The TypeScript compiler over the repository's tsconfig.json, emitting nothing. */
export async function typecheckGates(project: Project): Promise<GateVerdict[]> {
  const result = await capture(
    await withDependencies(project),
    project.packageManager.exec("tsc", ["--noEmit", "--pretty", "false"]),
    // 2: type errors; 1: a tsconfig error, reported from the output like them.
    [0, 1, 2],
  );
  return [typecheckGate(`${result.stdout}\n${result.stderr}`, result.exitCode)];
}
