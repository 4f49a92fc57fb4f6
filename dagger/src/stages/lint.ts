import { CacheSharingMode, dag, type Container } from "@dagger.io/dagger";
import { brokenGate, skippedGate, type GateVerdict } from "../core/gates.js";
import { biomeGate } from "../core/parse/biome.js";
import { eslintGate } from "../core/parse/eslint.js";
import { prettierGate } from "../core/parse/prettier.js";
import type { CheckPlan } from "../core/toolchain/checks.js";
import { prettierCacheFlags } from "../core/toolchain/formatCache.js";
import type { RunnablePlan } from "../core/toolchain/commands.js";
import { runCheck, runScript } from "./script.js";
import {
  readIfPresent,
  SRC,
  tail,
  withDependencies,
  type Project,
} from "./workspace.js";

const ESLINT_REPORT = "/tmp/eslint.json";
// Outside the source, so the format check never checks its own cache.
const PRETTIER_CACHE = "/var/cache/gantry-prettier";

/** The repository's linter and format check, side by side, each as the repository runs it. */
export async function lintGates(project: Project): Promise<GateVerdict[]> {
  const workspace = await withDependencies(project);
  const { lint, format } = project.toolchain.checks;
  return Promise.all([
    runLint(project, workspace, lint),
    runFormatCheck(project, workspace, format),
  ]);
}

async function runLint(
  project: Project,
  workspace: Container,
  plan: CheckPlan,
): Promise<GateVerdict> {
  if (plan.kind === "none") return skippedGate("lint", plan.reason);
  const maxWarnings = project.config.lint.maxWarnings ?? maxWarningsOf(plan);
  if (plan.kind === "tool" && plan.tool === "eslint") {
    return runCheck(project, workspace, plan, {
      reportFlags: ["--format", "json", "--output-file", ESLINT_REPORT],
      resultCodes: [0, 1],
      judge: async (result) => {
        const report = await readIfPresent(result.container, ESLINT_REPORT);
        return report === undefined
          ? brokenGate("lint: eslint", `ESLint did not run (${tail(result)})`)
          : eslintGate(report, SRC, maxWarnings);
      },
    });
  }
  if (plan.kind === "tool" && plan.tool === "xo") {
    // xo prints ESLint's JSON format on stdout.
    return runCheck(project, workspace, plan, {
      reportFlags: ["--reporter=json"],
      resultCodes: [0, 1],
      judge: (result) =>
        isJson(result.stdout)
          ? { ...eslintGate(result.stdout, SRC, maxWarnings), name: "lint: xo" }
          : brokenGate("lint: xo", `xo did not run (${tail(result)})`),
    });
  }
  if (plan.kind === "tool" && plan.tool === "biome") {
    return runBiome(project, workspace, plan, "lint: biome", maxWarnings);
  }
  return runScript(project, workspace, plan, "lint");
}

async function runFormatCheck(
  project: Project,
  workspace: Container,
  plan: CheckPlan,
): Promise<GateVerdict> {
  if (plan.kind === "none") return skippedGate("format", plan.reason);
  if (plan.kind === "tool" && plan.tool === "prettier") {
    const cacheFlags = prettierCacheFlags(
      project.manifest,
      plan.args,
      `${PRETTIER_CACHE}/cache.json`,
    );
    // Private: two runs at once each keep a cache of their own rather than write one file together.
    const withCache = cacheFlags.length
      ? workspace.withMountedCache(
          PRETTIER_CACHE,
          dag.cacheVolume("gantry-prettier-cache"),
          { sharing: CacheSharingMode.Private },
        )
      : workspace;
    return runCheck(project, withCache, plan, {
      reportFlags: cacheFlags,
      // 2: Prettier itself failed (a syntax error, a bad config), reported from its output.
      resultCodes: [0, 1, 2],
      judge: (result) =>
        prettierGate(`${result.stdout}\n${result.stderr}`, result.exitCode),
    });
  }
  if (plan.kind === "tool" && plan.tool === "biome") {
    return runBiome(project, workspace, plan, "format: biome", null);
  }
  return runScript(project, workspace, plan, "format");
}

function runBiome(
  project: Project,
  workspace: Container,
  plan: RunnablePlan,
  name: string,
  maxWarnings: number | null,
): Promise<GateVerdict> {
  return runCheck(project, workspace, plan, {
    reportFlags: ["--reporter=json"],
    resultCodes: [0, 1],
    // The JSON report is on stdout; why Biome processed nothing is only on stderr.
    judge: (result) =>
      biomeGate(
        name,
        `${result.stdout}\n${result.stderr}`,
        result.exitCode,
        maxWarnings,
      ),
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ESLint's own budget in the lint script (--max-warnings N) is the repository's threshold.
function maxWarningsOf(plan: CheckPlan): number | null {
  if (plan.kind !== "tool") return null;
  const index = plan.args.indexOf("--max-warnings");
  const value = index >= 0 ? Number(plan.args[index + 1]) : NaN;
  return Number.isInteger(value) && value >= 0 ? value : null;
}
