import { stripVTControlCharacters } from "node:util";
import type { GateVerdict } from "../gates.js";

/** Gates the output of `prettier --check`: every file it warns about is unformatted. */
export function prettierGate(output: string, exitCode: number): GateVerdict {
  const unformatted = stripVTControlCharacters(output)
    .split("\n")
    .map((line) => /^\[warn\] (.+)$/.exec(line.trim())?.[1])
    .filter(
      (file): file is string => !!file && !/^Code style issues/.test(file),
    );
  const crashed = exitCode !== 0 && unformatted.length === 0;
  return {
    name: "format: prettier",
    status: exitCode === 0 ? "pass" : "fail",
    figure: crashed ? "did not run" : `${unformatted.length} unformatted files`,
    threshold: "0 files",
    details: crashed
      ? [output.trim().split("\n").slice(-5).join("\n")]
      : unformatted.map((f) => `${f} is not formatted`),
  };
}
