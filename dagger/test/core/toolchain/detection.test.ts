// Table-driven detection: each documented pin format, script name and tool marker on its own, so dropping any one of
// them from the detector fails a row. Inputs are synthetic (hand-written inline).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config.js";
import {
  planChecks,
  type CheckInputs,
} from "../../../src/core/toolchain/checks.js";
import {
  detectNodeVersion,
  NODE_VERSION_FILES,
} from "../../../src/core/toolchain/nodeVersion.js";

describe("Node version pins", () => {
  it.each([
    ["lts/argon", "4"],
    ["lts/boron", "6"],
    ["lts/carbon", "8"],
    ["lts/dubnium", "10"],
    ["lts/erbium", "12"],
    ["lts/fermium", "14"],
    ["lts/gallium", "16"],
    ["lts/hydrogen", "18"],
    ["lts/iron", "20"],
    ["LTS/Jod", "22"],
    ["lts/krypton", "24"],
    ["lts/*", "24"],
    ["  v20.11.1  ", "20.11.1"],
    ["18.x", "18"],
    ["20.1.x", "20.1"],
    ["20.11.10", "20.11.10"],
  ])(".nvmrc %j runs Node %s", (pin, version) => {
    expect(detectNodeVersion(undefined, { ".nvmrc": `${pin}\n` }, {})).toEqual({
      version,
      origin: ".nvmrc",
    });
  });

  it.each([
    "node",
    "system",
    "lts/unknown",
    "20.1.2.3",
    "x20",
    // Hand-written near misses: a stray v, a prefix, a line broken by a lone CR.
    "20v",
    "my-lts/iron",
    "lts/iron\rlts/jod",
  ])(".nvmrc %j names no version, so Gantry's default applies", (pin) => {
    expect(detectNodeVersion(undefined, { ".nvmrc": pin }, {})).toEqual({
      version: "22",
      origin: "Gantry's default",
    });
  });

  it.each([
    ["nodejs 20.11.1", "20.11.1"],
    ["  node   18.19.0 20.0.0", "18.19.0"],
    ["# node 16\npython 3.12\nnodejs 20 # the CI image", "20"],
    ["nodejs 20.11.0#the CI image", "20.11.0"],
  ])(".tool-versions %j runs Node %s", (text, version) => {
    expect(
      detectNodeVersion(undefined, { ".tool-versions": text }, {}),
    ).toEqual({ version, origin: ".tool-versions" });
  });

  it("a .tool-versions without Node, or with a tool merely named like it, decides nothing", () => {
    expect(
      detectNodeVersion(
        undefined,
        { ".tool-versions": "python 3.12\nnodejs\nnode-gyp 10" },
        {},
      ).origin,
    ).toBe("Gantry's default");
  });

  it.each([
    ['[tools]\nnode = "24"', "24"],
    ['[tools]\nnodejs="20.11"', "20.11"],
    [
      '[ tools ]\n"node" = { version = "18", postinstall = "corepack enable" }',
      "18",
    ],
    ['[tools]\nnode = ["20", "22"]', "20"],
    ['[tools]\nnode = {version="18"}', "18"],
    ['[tools]\n"npm:@types/node" = "18"\nnode = "22"', "22"],
    ['[env]\nNODE = "1"\n[tools] # pinned\n  node   =   "22"  # current', "22"],
  ])("mise.toml %j runs Node %s", (text, version) => {
    expect(detectNodeVersion(undefined, { "mise.toml": text }, {})).toEqual({
      version,
      origin: "mise.toml",
    });
    expect(detectNodeVersion(undefined, { ".mise.toml": text }, {})).toEqual({
      version,
      origin: ".mise.toml",
    });
  });

  it.each([
    'node = "18"\n[env]\nnode = "20"',
    // Hand-written: a line that only starts like a table header opens no table.
    '[tools] node = "18"\nnode = "20"',
  ])("mise.toml's node outside [tools] decides nothing: %j", (text) => {
    expect(detectNodeVersion(undefined, { "mise.toml": text }, {}).origin).toBe(
      "Gantry's default",
    );
  });

  it("the pin files are read in the documented order", () => {
    expect(NODE_VERSION_FILES).toEqual([
      ".nvmrc",
      ".node-version",
      ".tool-versions",
      "mise.toml",
      ".mise.toml",
    ]);
    const all = {
      ".nvmrc": "18",
      ".node-version": "19",
      ".tool-versions": "nodejs 20",
      "mise.toml": '[tools]\nnode = "21"',
      ".mise.toml": '[tools]\nnode = "23"',
    };
    const origins: string[] = [];
    const files: Record<string, string | undefined> = { ...all };
    for (const file of NODE_VERSION_FILES) {
      origins.push(detectNodeVersion(undefined, files, {}).origin);
      files[file] = undefined;
    }
    expect(origins).toEqual(NODE_VERSION_FILES);
  });
});

describe("check detection", () => {
  const plans = (
    packageJson: CheckInputs["packageJson"],
    rootEntries: string[] = ["package.json"],
    config: object = {},
  ) =>
    planChecks({
      rootEntries,
      packageJson,
      config: parseConfig({ configJson: JSON.stringify(config) }),
    });

  it.each([
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
  ])("the %s script is the format check", (name) => {
    expect(
      plans({ scripts: { [name]: "prettier --check src" } }).format,
    ).toMatchObject({
      tool: "prettier",
      origin: `package.json scripts.${name}`,
    });
  });

  it.each([
    "typecheck",
    "type-check",
    "check-types",
    "check:types",
    "types:check",
    "typecheck:all",
    "lint:types",
    "tsc",
  ])("the %s script is the type check", (name) => {
    expect(
      plans({ scripts: { [name]: "tsc --noEmit" } }).typecheck,
    ).toMatchObject({ tool: "tsc", origin: `package.json scripts.${name}` });
  });

  it.each([
    [{ devDependencies: { xo: "1" } }, [], "xo", [], "xo is installed"],
    [
      { devDependencies: { eslint: "9" } },
      [],
      "eslint",
      ["."],
      "ESLint is installed",
    ],
    [{}, ["eslint.config.mjs"], "eslint", ["."], "ESLint is installed"],
    [{}, ["eslint.config.ts"], "eslint", ["."], "ESLint is installed"],
    [{}, [".eslintrc"], "eslint", ["."], "ESLint is installed"],
    [{}, [".eslintrc.json"], "eslint", ["."], "ESLint is installed"],
    [
      { devDependencies: { "@biomejs/biome": "2" } },
      [],
      "biome",
      ["lint", "."],
      "Biome is installed",
    ],
    [{}, ["biome.json"], "biome", ["lint", "."], "Biome is installed"],
    [{}, ["biome.jsonc"], "biome", ["lint", "."], "Biome is installed"],
  ] as const)(
    "lint: %j with %j runs %s %j",
    (packageJson, entries, tool, args, origin) => {
      expect(plans(packageJson, ["package.json", ...entries]).lint).toEqual({
        kind: "tool",
        tool,
        args,
        env: {},
        origin,
      });
    },
  );

  it.each([
    ["old.eslintrc.json"],
    ["eslint.config.json"],
    ["eslint.config.mjs.bak"],
    ["mybiome.json"],
    ["biome.json5"],
  ])("lint: a file named %s is no linter config", (entry) => {
    expect(plans({}, ["package.json", entry]).lint.kind).toBe("none");
  });

  it.each([
    [{ devDependencies: { prettier: "3" } }, []],
    [{ prettier: "@acme/prettier-config" }, []],
    [{}, [".prettierrc"]],
    [{}, [".prettierrc.yaml"]],
    [{}, ["prettier.config.cjs"]],
    [{}, ["prettier.config.ts"]],
  ])("format: %j with %j runs prettier --check .", (packageJson, entries) => {
    expect(plans(packageJson, ["package.json", ...entries]).format).toEqual({
      kind: "tool",
      tool: "prettier",
      args: ["--check", "."],
      env: {},
      origin: "Prettier is installed",
    });
  });

  it.each([
    ["x.prettierrc"],
    ["prettier.config.json"],
    [".prettierrc.yaml.bak"],
  ])("format: a file named %s is no Prettier config", (entry) => {
    expect(plans({}, ["package.json", entry]).format.kind).toBe("none");
  });

  it("format: Biome alone formats with biome format; a format script of another program is not a check", () => {
    expect(plans({}, ["package.json", "biome.json"]).format).toEqual({
      kind: "tool",
      tool: "biome",
      args: ["format", "."],
      env: {},
      origin: "Biome is installed",
    });
    expect(
      plans({ scripts: { format: "dprint fmt" } }, ["package.json"]).format
        .kind,
    ).toBe("none");
    expect(
      plans({ scripts: { format: "dprint fmt" } }, [
        "package.json",
        ".prettierrc",
      ]).format,
    ).toMatchObject({ tool: "prettier", origin: "Prettier is installed" });
  });

  it("config: format.tool biome formats, the other config origins are named", () => {
    expect(
      plans({}, ["package.json"], { format: { tool: "biome" } }).format,
    ).toEqual({
      kind: "tool",
      tool: "biome",
      args: ["format", "."],
      env: {},
      origin: "gantry config format.tool",
    });
    expect(
      plans({}, ["package.json"], { format: { tool: "prettier" } }).format,
    ).toMatchObject({ tool: "prettier", origin: "gantry config format.tool" });
    expect(
      plans({}, ["package.json"], { lint: { tool: "eslint" } }).lint,
    ).toMatchObject({ tool: "eslint", origin: "gantry config lint.tool" });
    expect(
      plans({}, ["package.json"], { test: { runner: "jest" } }).test,
    ).toMatchObject({
      tool: "jest",
      args: [],
      origin: "gantry config test.runner",
    });
    expect(
      plans({ scripts: { unit: "vitest run" } }, ["package.json"], {
        test: { script: "unit" },
      }).test,
    ).toMatchObject({ tool: "vitest", origin: "gantry config test.script" });
    expect(
      plans({}, ["package.json"], { typecheck: { tool: "tsc" } }).typecheck,
    ).toMatchObject({
      tool: "tsc",
      args: ["--noEmit"],
      origin: "gantry config typecheck.tool",
    });
    expect(
      plans({}, ["package.json"], { typecheck: { tool: "none" } }).typecheck,
    ).toEqual({
      kind: "none",
      reason: 'turned off by typecheck.tool: "none" in gantry.config.json',
    });
  });

  it.each([
    ["vitest", ["run"]],
    ["jest", []],
    ["mocha", []],
    ["ava", []],
  ] as const)("test: an installed %s runs with %j", (runner, args) => {
    expect(plans({ devDependencies: { [runner]: "1" } }).test).toMatchObject({
      tool: runner,
      args,
      origin: `${runner} is installed`,
    });
  });

  it("test: vitest gets runner coverage with either coverage provider, not without", () => {
    for (const provider of ["@vitest/coverage-v8", "@vitest/coverage-istanbul"])
      expect(
        plans({ devDependencies: { vitest: "4", [provider]: "4" } }).test,
      ).toMatchObject({ coverage: "runner" });
    expect(plans({ devDependencies: { vitest: "4" } }).test).not.toHaveProperty(
      "coverage",
    );
  });

  it("typecheck: tsc needs both a tsconfig.json and TypeScript", () => {
    expect(
      plans({ devDependencies: { typescript: "5" } }, [
        "package.json",
        "tsconfig.json",
      ]).typecheck,
    ).toEqual({
      kind: "tool",
      tool: "tsc",
      args: ["--noEmit"],
      env: {},
      origin: "tsconfig.json and TypeScript",
    });
    expect(plans({ devDependencies: { typescript: "5" } }).typecheck.kind).toBe(
      "none",
    );
    expect(plans({}, ["package.json", "tsconfig.json"]).typecheck.kind).toBe(
      "none",
    );
  });
});
