import type { GantryConfig } from "../config.js";
import type { PackageJson } from "./packageJson.js";

/** A tool whose output Gantry parses into findings or counts. */
export type CheckTool =
  | "eslint"
  | "xo"
  | "biome"
  | "prettier"
  | "tsc"
  | "vitest"
  | "jest"
  | "node"
  | "mocha"
  | "ava";

/** Where test coverage comes from: the runner itself, or c8/nyc wrapped around it in the repository's test script. */
export type CoverageSource = "runner" | "c8" | "nyc";

/**
 * How one check runs:
 * - `tool`: the tool itself with the repository's arguments, Gantry adding only its report flags;
 * - `script`: a package.json script run as is, parsed as `parseAs` when it is a known runner, else judged by exit code;
 * - `none`: nothing to run, and why.
 */
export type CheckPlan =
  | {
      kind: "tool";
      tool: CheckTool;
      args: string[];
      env: Record<string, string>;
      coverage?: CoverageSource;
      /** The script's pre-hook (pretest…), which the package manager would have run first. */
      before?: string;
      origin: string;
    }
  | {
      kind: "script";
      script: string;
      parseAs?: CheckTool;
      coverage?: CoverageSource;
      origin: string;
    }
  | { kind: "none"; reason: string };

/** What the checks are detected from. */
export interface CheckInputs {
  rootEntries: string[];
  packageJson: Pick<
    PackageJson,
    "scripts" | "dependencies" | "devDependencies" | "prettier"
  >;
  config: Pick<GantryConfig, "lint" | "format" | "test" | "typecheck">;
}

/** The plan of every check, each by the documented precedence: config, the repository's script, detected tools, none. */
export interface CheckPlans {
  lint: CheckPlan;
  format: CheckPlan;
  test: CheckPlan;
  typecheck: CheckPlan;
}

const FORMAT_SCRIPTS = [
  "format:check",
  "check:format",
  "format-check",
  "formatcheck",
  "prettier:check",
  "check-format",
  "fmt:check",
  "lint:format",
  "lint:prettier",
  "format:ci",
];
const TYPECHECK_SCRIPTS = [
  "typecheck",
  "type-check",
  "check-types",
  "check:types",
  "types:check",
  "typecheck:all",
  "lint:types",
  "tsc",
];
// What `npm init` writes: a placeholder that always fails, not a test suite.
const NPM_INIT_TEST = /no test specified/;

/** Detects how each check runs in this repository. */
export function planChecks(inputs: CheckInputs): CheckPlans {
  return {
    lint: planLint(inputs),
    format: planFormat(inputs),
    test: planTest(inputs),
    typecheck: planTypecheck(inputs),
  };
}

/**
 * The plan gantry.config.json sets for a check: turned off ("none"), its script, or its tool (test.runner for the
 * tests); undefined when the config leaves the check to detection.
 */
function configuredPlan(
  inputs: CheckInputs,
  check: keyof CheckPlans,
  toolPlan: (tool: CheckTool, origin: string) => CheckPlan = defaultTool,
): CheckPlan | undefined {
  const { script } = inputs.config[check];
  const field = check === "test" ? "runner" : "tool";
  const tool =
    check === "test" ? inputs.config.test.runner : inputs.config[check].tool;
  if (tool === "none") return disabled(`${check}.${field}`);
  if (script)
    return fromScript(inputs, script, `gantry config ${check}.script`);
  if (tool) return toolPlan(tool, `gantry config ${check}.${field}`);
  return undefined;
}

function planLint(inputs: CheckInputs): CheckPlan {
  const configured = configuredPlan(inputs, "lint");
  if (configured) return configured;
  const own = scriptNamed(inputs, "lint");
  if (own) return fromScript(inputs, own, "package.json scripts.lint");
  // xo wraps ESLint with its own config; a repository that has it lints with it.
  if (hasDependency(inputs, "xo")) return defaultTool("xo", "xo is installed");
  if (hasEslint(inputs)) return defaultTool("eslint", "ESLint is installed");
  if (hasBiome(inputs)) return defaultTool("biome", "Biome is installed");
  return {
    kind: "none",
    reason:
      "no linter: the repository has no lint script and no ESLint, xo or Biome (lint.tool or lint.script in gantry.config.json picks one)",
  };
}

function planFormat(inputs: CheckInputs): CheckPlan {
  const configured = configuredPlan(inputs, "format", formatTool);
  if (configured) return configured;
  const named = FORMAT_SCRIPTS.find((name) => scriptNamed(inputs, name));
  if (named) return fromScript(inputs, named, `package.json scripts.${named}`);
  // Many repositories only have the script that formats; its scope is theirs, run in check mode.
  if (scriptNamed(inputs, "format")) {
    const plan = fromScript(inputs, "format", "package.json scripts.format");
    if (
      plan.kind === "tool" &&
      (plan.tool === "prettier" || plan.tool === "biome")
    )
      return plan;
  }
  if (hasPrettier(inputs))
    return formatTool("prettier", "Prettier is installed");
  if (hasBiome(inputs)) return formatTool("biome", "Biome is installed");
  return {
    kind: "none",
    reason:
      "no formatter: the repository has no format-check script and neither Prettier nor Biome (format.tool or format.script in gantry.config.json picks one)",
  };
}

function planTest(inputs: CheckInputs): CheckPlan {
  const plan = chooseTestPlan(inputs);
  // vitest reports coverage only with a provider installed; jest always can.
  const runnerCoverage =
    plan.kind === "tool" &&
    (plan.tool === "jest" ||
      (plan.tool === "vitest" &&
        (hasDependency(inputs, "@vitest/coverage-v8") ||
          hasDependency(inputs, "@vitest/coverage-istanbul"))));
  return runnerCoverage ? { ...plan, coverage: "runner" } : plan;
}

function chooseTestPlan(inputs: CheckInputs): CheckPlan {
  const configured = configuredPlan(inputs, "test");
  if (configured) return configured;
  const own = scriptNamed(inputs, "test");
  if (own && !NPM_INIT_TEST.test(scriptText(inputs, own) ?? ""))
    return fromScript(inputs, own, "package.json scripts.test");
  for (const candidate of ["vitest", "jest", "mocha", "ava"] as const) {
    if (hasDependency(inputs, candidate))
      return defaultTool(candidate, `${candidate} is installed`);
  }
  return {
    kind: "none",
    reason:
      "no test runner: the repository has no test script and no vitest, jest, mocha or ava (test.runner or test.script in gantry.config.json picks one)",
  };
}

function planTypecheck(inputs: CheckInputs): CheckPlan {
  const configured = configuredPlan(inputs, "typecheck");
  if (configured) return configured;
  const named = TYPECHECK_SCRIPTS.find((name) => scriptNamed(inputs, name));
  if (named) return fromScript(inputs, named, `package.json scripts.${named}`);
  if (
    inputs.rootEntries.includes("tsconfig.json") &&
    hasDependency(inputs, "typescript")
  )
    return defaultTool("tsc", "tsconfig.json and TypeScript");
  return {
    kind: "none",
    reason:
      "no type check: the repository has no typecheck script and no tsconfig.json with TypeScript installed (typecheck.script in gantry.config.json names one)",
  };
}

/** The arguments each tool runs with when the repository gives none. */
const DEFAULT_ARGS: Record<CheckTool, string[]> = {
  eslint: ["."],
  xo: [],
  biome: ["lint", "."],
  prettier: ["--check", "."],
  tsc: ["--noEmit"],
  vitest: ["run"],
  jest: [],
  node: ["--test"],
  mocha: [],
  ava: [],
};

function defaultTool(tool: CheckTool, origin: string): CheckPlan {
  return { kind: "tool", tool, args: DEFAULT_ARGS[tool], env: {}, origin };
}

// The format check of a tool: Biome checks formatting with `biome format` (`biome lint` is its linter).
function formatTool(tool: CheckTool, origin: string): CheckPlan {
  return tool === "biome"
    ? { kind: "tool", tool, args: ["format", "."], env: {}, origin }
    : defaultTool(tool, origin);
}

function disabled(field: string): CheckPlan {
  return {
    kind: "none",
    reason: `turned off by ${field}: "none" in gantry.config.json`,
  };
}

/**
 * A script that is one plain command of a tool Gantry parses runs as that tool with the script's own arguments (and
 * leading VAR=value assignments), so findings come out structured; anything else (&&, pipes, other programs, a
 * c8/nyc wrapper) runs as the script itself.
 */
function fromScript(
  inputs: CheckInputs,
  script: string,
  origin: string,
): CheckPlan {
  const text = scriptText(inputs, script);
  if (text === undefined) {
    return {
      kind: "none",
      reason: `${origin} names "${script}", but package.json has no such script`,
    };
  }
  const words = splitPlainCommand(text);
  if (!words) return { kind: "script", script, origin };
  const env: Record<string, string> = {};
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split("=");
    env[name] = value.join("=");
  }
  const coverage = (["c8", "nyc"] as const).find((tool) => tool === words[0]);
  if (coverage) {
    return {
      kind: "script",
      script,
      coverage,
      parseAs: runnerAfterWrapper(words.slice(1)),
      origin,
    };
  }
  const [program, ...args] = words;
  const tool = toolOf(program, args);
  if (!tool) return { kind: "script", script, origin };
  // node:test and mocha/ava print summaries, not reports: run their script and read what it prints.
  if (tool === "node" || tool === "mocha" || tool === "ava")
    return { kind: "script", script, parseAs: tool, origin };
  const before = scriptNamed(inputs, `pre${script}`);
  return {
    kind: "tool",
    tool,
    args: checkOnly(tool, args),
    env,
    ...(before ? { before } : {}),
    origin,
  };
}

// Flags that rewrite files: a check reports what they would change instead.
const ESLINT_WRITES = ["--fix", "--fix-dry-run"];
const BIOME_WRITES = [
  "--write",
  "--fix",
  "--apply",
  "--apply-unsafe",
  "--unsafe",
];
const PRETTIER_MODES = [
  "--write",
  "-w",
  "--list-different",
  "-l",
  "--check",
  "-c",
];

/** The tool's arguments without what would rewrite the repository; Prettier always in --check mode. */
export function checkOnly(tool: CheckTool, args: string[]): string[] {
  if (tool === "eslint" || tool === "xo") {
    const typeIndex = args.indexOf("--fix-type");
    return args.filter(
      (arg, index) =>
        !ESLINT_WRITES.includes(arg) &&
        !arg.startsWith("--fix-type") &&
        (typeIndex < 0 || index !== typeIndex + 1),
    );
  }
  if (tool === "biome")
    return args.filter((arg) => !BIOME_WRITES.includes(arg.split("=")[0]));
  if (tool === "prettier")
    return ["--check", ...args.filter((arg) => !PRETTIER_MODES.includes(arg))];
  return args;
}

function toolOf(program: string, args: string[]): CheckTool | undefined {
  if (program === "node" || program === "tsx")
    return args.includes("--test") ? "node" : undefined;
  const known: CheckTool[] = [
    "eslint",
    "xo",
    "biome",
    "prettier",
    "tsc",
    "vitest",
    "jest",
    "mocha",
    "ava",
  ];
  return known.find((tool) => tool === program);
}

// c8/nyc take options before the command; the first word that is not an option (or an option's value) is the runner.
function runnerAfterWrapper(words: string[]): CheckTool | undefined {
  for (let index = 0; index < words.length; index += 1) {
    const tool = toolOf(words[index], words.slice(index + 1));
    if (tool) return tool;
  }
  return undefined;
}

// One shell word that means the same unquoted by Gantry: '…', "…" without expansions, or bare text without
// operators, expansions or quotes; followed by a space or the end (so a"b", which the shell joins, is refused).
const PLAIN_WORD = /\s*('[^']*'|"[^"$`\\]*"|[^\s"'&|;<>$`()\\]+)(?=\s|$)/y;

/**
 * The words of a script that is one plain command; undefined when it needs the shell (&&, |, ;, $, redirects…). Glob
 * patterns stay as words: the tools Gantry runs directly (ESLint, Prettier, Biome) expand them themselves.
 */
export function splitPlainCommand(text: string): string[] | undefined {
  const words: string[] = [];
  const trimmed = text.trim();
  PLAIN_WORD.lastIndex = 0;
  while (PLAIN_WORD.lastIndex < trimmed.length) {
    const match = PLAIN_WORD.exec(trimmed);
    if (!match) return undefined;
    words.push(match[1].replace(/^(["'])(.*)\1$/s, "$2"));
  }
  return words;
}

function scriptText(inputs: CheckInputs, name: string): string | undefined {
  return inputs.packageJson.scripts?.[name];
}

function scriptNamed(inputs: CheckInputs, name: string): string | undefined {
  return scriptText(inputs, name) === undefined ? undefined : name;
}

function hasDependency(inputs: CheckInputs, name: string): boolean {
  const { dependencies = {}, devDependencies = {} } = inputs.packageJson;
  return name in dependencies || name in devDependencies;
}

function hasConfigFile(inputs: CheckInputs, pattern: RegExp): boolean {
  return inputs.rootEntries.some((entry) => pattern.test(entry));
}

function hasEslint(inputs: CheckInputs): boolean {
  return (
    hasDependency(inputs, "eslint") ||
    hasConfigFile(inputs, /^(eslint\.config\.[cm]?[jt]s|\.eslintrc(\.\w+)?)$/)
  );
}

function hasBiome(inputs: CheckInputs): boolean {
  return (
    hasDependency(inputs, "@biomejs/biome") ||
    hasConfigFile(inputs, /^biome\.jsonc?$/)
  );
}

function hasPrettier(inputs: CheckInputs): boolean {
  return (
    hasDependency(inputs, "prettier") ||
    inputs.packageJson.prettier !== undefined ||
    hasConfigFile(
      inputs,
      /^(\.prettierrc(\.\w+)?|prettier\.config\.[cm]?[jt]s)$/,
    )
  );
}
