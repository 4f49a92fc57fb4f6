import { brokenGate, type GateVerdict } from "../core/gates.js";
import { eslintGate } from "../core/parse/eslint.js";
import { prettierGate } from "../core/parse/prettier.js";
import {
  capture,
  readIfPresent,
  SRC,
  tail,
  withDependencies,
  type Project,
} from "./workspace.js";

const ESLINT_REPORT = "/tmp/eslint.json";

/** ESLint (errors, optionally a warning budget) and the Prettier format check, run side by side. */
export async function lintGates(project: Project): Promise<GateVerdict[]> {
  const workspace = await withDependencies(project);
  const { exec } = project.packageManager;
  const [eslint, prettier] = await Promise.all([
    capture(
      workspace,
      exec("eslint", [".", "--format", "json", "--output-file", ESLINT_REPORT]),
    ),
    capture(workspace, exec("prettier", ["--check", "."])),
  ]);
  const eslintReport = await readIfPresent(eslint.container, ESLINT_REPORT);
  return [
    eslintReport === undefined || eslint.exitCode > 1
      ? brokenGate("lint: eslint", `ESLint did not run (${tail(eslint)})`)
      : eslintGate(eslintReport, SRC, project.config.lint.maxWarnings),
    prettierGate(`${prettier.stdout}\n${prettier.stderr}`, prettier.exitCode),
  ];
}
