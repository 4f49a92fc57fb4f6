import type { GateVerdict } from "../gates.js";

const DIAGNOSTIC = /^(.+)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** Gates `tsc --noEmit --pretty false` output: any diagnostic fails. */
export function typecheckGate(output: string, exitCode: number): GateVerdict {
  const diagnostics = output
    .split("\n")
    .map((line) => DIAGNOSTIC.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(
      ([, file, line, column, code, message]) =>
        `${file}:${line}:${column} ${code} ${message}`,
    );
  const crashed = exitCode !== 0 && diagnostics.length === 0;
  return {
    name: "typecheck",
    status: exitCode === 0 ? "pass" : "fail",
    figure: crashed ? "did not run" : `${diagnostics.length} errors`,
    threshold: "0 errors",
    details: crashed
      ? [output.trim().split("\n").slice(-5).join("\n")]
      : diagnostics,
  };
}
