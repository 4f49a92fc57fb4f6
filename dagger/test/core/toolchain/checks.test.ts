import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config.js";
import {
  checkOnly,
  planChecks,
  splitPlainCommand,
  type CheckInputs,
} from "../../../src/core/toolchain/checks.js";

function plans(
  packageJson: CheckInputs["packageJson"],
  rootEntries: string[] = ["package.json"],
  config: object = {},
) {
  return planChecks({
    rootEntries,
    packageJson,
    config: parseConfig({ configJson: JSON.stringify(config) }),
  });
}

describe("planChecks", () => {
  it("runs a one-command script as its tool with the script's own arguments", () => {
    const { lint, format, test, typecheck } = plans({
      scripts: {
        lint: "eslint src --max-warnings 0",
        "format:check": "prettier --check 'src/**/*.ts' test",
        test: "NODE_OPTIONS=--experimental-vm-modules jest --runInBand",
        typecheck: "tsc -p tsconfig.check.json",
      },
    });
    expect(lint).toEqual({
      kind: "tool",
      tool: "eslint",
      args: ["src", "--max-warnings", "0"],
      env: {},
      origin: "package.json scripts.lint",
    });
    expect(format).toMatchObject({
      kind: "tool",
      tool: "prettier",
      args: ["--check", "src/**/*.ts", "test"],
    });
    expect(test).toMatchObject({
      kind: "tool",
      tool: "jest",
      args: ["--runInBand"],
      env: { NODE_OPTIONS: "--experimental-vm-modules" },
      coverage: "runner",
    });
    expect(typecheck).toMatchObject({
      kind: "tool",
      tool: "tsc",
      args: ["-p", "tsconfig.check.json"],
    });
  });

  it("runs a script that does more than one thing as the script", () => {
    const { lint, test } = plans({
      scripts: {
        lint: "eslint . && tsc --noEmit",
        test: "npm run build; vitest",
      },
      devDependencies: { vitest: "4" },
    });
    expect(lint).toEqual({
      kind: "script",
      script: "lint",
      origin: "package.json scripts.lint",
    });
    expect(test).toEqual({
      kind: "script",
      script: "test",
      origin: "package.json scripts.test",
    });
  });

  it("reads node:test, mocha and ava from their script's printed summary, with the c8/nyc wrapper as coverage", () => {
    expect(
      plans({ scripts: { test: "c8 --reporter=lcov node --test" } }).test,
    ).toEqual({
      kind: "script",
      script: "test",
      coverage: "c8",
      parseAs: "node",
      origin: "package.json scripts.test",
    });
    expect(plans({ scripts: { test: "nyc mocha" } }).test).toMatchObject({
      coverage: "nyc",
      parseAs: "mocha",
    });
    expect(plans({ scripts: { test: "ava --timeout=1m" } }).test).toEqual({
      kind: "script",
      script: "test",
      parseAs: "ava",
      origin: "package.json scripts.test",
    });
    expect(
      plans({ scripts: { test: "node --test test/" } }).test,
    ).toMatchObject({
      parseAs: "node",
    });
  });

  it.each([
    ["mocha --recursive", "mocha"],
    ["tsx --test test/*.test.ts", "node"],
    ["tsx src/main.ts", undefined],
  ])("reads the script %j as it is, parsed as %s", (test, parseAs) => {
    expect(plans({ scripts: { test } }).test).toStrictEqual({
      kind: "script",
      script: "test",
      ...(parseAs ? { parseAs } : {}),
      origin: "package.json scripts.test",
    });
  });

  it("takes node's test runner only from a --test after node, not from one given to c8", () => {
    // Hand-written: c8 ignores an option it does not know, so this runs `node app.js`, no test runner.
    expect(
      plans({ scripts: { test: "c8 --test node app.js" } }).test,
    ).toStrictEqual({
      kind: "script",
      script: "test",
      coverage: "c8",
      parseAs: undefined,
      origin: "package.json scripts.test",
    });
  });

  it("keeps an environment value that holds '=', and runs a word that is no valid assignment as the program", () => {
    expect(
      plans({
        scripts: { test: "NODE_OPTIONS=--max-old-space-size=4096 jest" },
      }).test,
    ).toMatchObject({
      tool: "jest",
      env: { NODE_OPTIONS: "--max-old-space-size=4096" },
    });
    // The shell runs "NODE-ENV=test" as a command: a hyphen makes it no assignment.
    expect(plans({ scripts: { test: "NODE-ENV=test jest" } }).test).toEqual({
      kind: "script",
      script: "test",
      origin: "package.json scripts.test",
    });
  });

  it("gives vitest coverage only with a provider installed", () => {
    expect(
      plans({ scripts: { test: "vitest" }, devDependencies: { vitest: "4" } })
        .test,
    ).not.toHaveProperty("coverage");
    expect(
      plans({
        scripts: { test: "vitest run" },
        devDependencies: { vitest: "4", "@vitest/coverage-v8": "4" },
      }).test,
    ).toMatchObject({ tool: "vitest", args: ["run"], coverage: "runner" });
  });

  it("detects installed tools when the repository has no scripts", () => {
    const detected = plans(
      {
        devDependencies: {
          "@biomejs/biome": "2",
          mocha: "11",
          typescript: "5",
        },
      },
      ["package.json", "tsconfig.json", "biome.json"],
    );
    expect(detected.lint).toMatchObject({ tool: "biome", args: ["lint", "."] });
    expect(detected.format).toMatchObject({
      tool: "biome",
      args: ["format", "."],
    });
    expect(detected.test).toMatchObject({
      tool: "mocha",
      origin: "mocha is installed",
    });
    expect(detected.typecheck).toMatchObject({
      tool: "tsc",
      args: ["--noEmit"],
    });
    expect(
      plans({}, ["package.json", ".prettierrc.json", "eslint.config.js"])
        .format,
    ).toMatchObject({ tool: "prettier", args: ["--check", "."] });
  });

  it("gives runner coverage to vitest and jest only, whatever provider is installed", () => {
    expect(
      plans({ devDependencies: { mocha: "11", "@vitest/coverage-v8": "4" } })
        .test,
    ).toStrictEqual({
      kind: "tool",
      tool: "mocha",
      args: [],
      env: {},
      origin: "mocha is installed",
    });
  });

  it("keeps a script's pre-hook, which running the tool directly would skip", () => {
    expect(
      plans({ scripts: { pretest: "npm run build", test: "vitest run" } }).test,
    ).toMatchObject({ tool: "vitest", before: "pretest" });
    expect(plans({ scripts: { test: "vitest run" } }).test).not.toHaveProperty(
      "before",
    );
  });

  it("lints with xo when the repository has it", () => {
    expect(
      plans({ devDependencies: { xo: "1", eslint: "9" } }).lint,
    ).toMatchObject({ kind: "tool", tool: "xo", args: [] });
    expect(plans({ scripts: { lint: "xo --fix src" } }).lint).toMatchObject({
      tool: "xo",
      args: ["src"],
    });
  });

  it("prefers a format-check script to the installed formatter", () => {
    expect(
      plans({
        scripts: { "prettier:check": "prettier -c src" },
        devDependencies: { prettier: "3" },
      }).format,
    ).toMatchObject({ tool: "prettier", args: ["--check", "src"] });
    expect(
      plans({ scripts: { format: "prettier --check ." } }).format,
    ).toMatchObject({
      origin: "package.json scripts.format",
    });
  });

  it("runs a script that formats in check mode, keeping its scope", () => {
    expect(
      plans({
        scripts: { format: 'prettier --write "src/**/*.ts" "test/**/*.ts"' },
        devDependencies: { prettier: "3" },
      }).format,
    ).toEqual({
      kind: "tool",
      tool: "prettier",
      args: ["--check", "src/**/*.ts", "test/**/*.ts"],
      env: {},
      origin: "package.json scripts.format",
    });
    expect(
      plans({ scripts: { format: "biome format --write src" } }).format,
    ).toMatchObject({ tool: "biome", args: ["format", "src"] });
    // A format script of a tool that is no formatter is no format check: the installed formatter decides.
    expect(
      plans({
        scripts: { format: "eslint --fix ." },
        devDependencies: { prettier: "3" },
      }).format,
    ).toEqual({
      kind: "tool",
      tool: "prettier",
      args: ["--check", "."],
      env: {},
      origin: "Prettier is installed",
    });
    // A compound format script cannot be turned into a check: the installed formatter decides.
    expect(
      plans({
        scripts: { format: "prettier --write . && eslint --fix ." },
        devDependencies: { prettier: "3" },
      }).format,
    ).toMatchObject({
      args: ["--check", "."],
      origin: "Prettier is installed",
    });
  });

  it("never lets a check rewrite the repository", () => {
    expect(
      plans({
        scripts: {
          lint: "eslint '{src,test}/**/*.ts' --fix --fix-type problem --max-warnings 0",
        },
      }).lint,
    ).toMatchObject({
      tool: "eslint",
      args: ["{src,test}/**/*.ts", "--max-warnings", "0"],
    });
    expect(
      plans({ scripts: { lint: "biome check --write --unsafe ." } }).lint,
    ).toMatchObject({ tool: "biome", args: ["check", "."] });
    expect(
      plans({ scripts: { "format:check": "prettier --list-different ." } })
        .format,
    ).toMatchObject({ args: ["--check", "."] });
  });

  it.each([
    ["eslint", ["--fix-dry-run", "."], ["."]],
    ["eslint", ["--fix", "--fix-type=problem,suggestion", "src"], ["src"]],
    ["xo", ["--fix-type", "problem", "--fix", "src"], ["src"]],
    ["biome", ["lint", "--fix", "."], ["lint", "."]],
    ["biome", ["check", "--apply", "."], ["check", "."]],
    ["biome", ["check", "--apply-unsafe", "."], ["check", "."]],
    ["biome", ["check", "--write=true", "."], ["check", "."]],
    ["prettier", ["-w", "src"], ["--check", "src"]],
    ["prettier", ["-l", "-c", "src"], ["--check", "src"]],
  ] as const)(
    "checkOnly drops what would rewrite files: %s %j → %j",
    (tool, args, checked) => {
      expect(checkOnly(tool, [...args])).toEqual(checked);
    },
  );

  it("skips a check the repository does not have, saying why", () => {
    const none = plans({
      scripts: { test: 'echo "Error: no test specified" && exit 1' },
    });
    expect(none.lint).toMatchObject({ kind: "none" });
    expect(none.lint.kind === "none" && none.lint.reason).toMatch(/no linter/);
    expect(none.format.kind === "none" && none.format.reason).toMatch(
      /no formatter/,
    );
    expect(none.test.kind === "none" && none.test.reason).toMatch(
      /no test runner/,
    );
    expect(none.typecheck.kind === "none" && none.typecheck.reason).toMatch(
      /no type check/,
    );
  });

  it("lets the config pick a tool, a script, or turn a check off", () => {
    const configured = plans(
      {
        scripts: { lint: "eslint .", ci: "eslint . --cache", test: "jest" },
        devDependencies: { eslint: "9", prettier: "3", typescript: "5" },
      },
      ["package.json", "tsconfig.json"],
      {
        lint: { script: "ci" },
        format: { tool: "none" },
        test: { runner: "node" },
        typecheck: { tool: "none" },
      },
    );
    expect(configured.lint).toMatchObject({
      tool: "eslint",
      args: [".", "--cache"],
      origin: "gantry config lint.script",
    });
    expect(
      configured.format.kind === "none" && configured.format.reason,
    ).toMatch(/format\.tool/);
    expect(configured.test).toMatchObject({ tool: "node", args: ["--test"] });
    expect(configured.typecheck.kind).toBe("none");
    const missing = plans({}, ["package.json"], {
      test: { script: "test:ci" },
    });
    expect(missing.test.kind === "none" && missing.test.reason).toMatch(
      /names "test:ci", but package.json has no such script/,
    );
  });
});

describe("splitPlainCommand", () => {
  it("splits a plain command and unquotes its words", () => {
    expect(splitPlainCommand(`prettier --check "src/**/*.{ts,md}"`)).toEqual([
      "prettier",
      "--check",
      "src/**/*.{ts,md}",
    ]);
    expect(splitPlainCommand(`eslint 'src dir' --fix`)).toEqual([
      "eslint",
      "src dir",
      "--fix",
    ]);
  });

  it("unquotes a word that holds a line break, as the shell does", () => {
    // Hand-written: a quoted argument spanning two lines.
    expect(splitPlainCommand("eslint 'a\nb'")).toEqual(["eslint", "a\nb"]);
  });

  it("ignores blanks around the command", () => {
    expect(splitPlainCommand("  eslint .  ")).toEqual(["eslint", "."]);
  });

  it("refuses anything the shell would interpret", () => {
    for (const text of [
      "a && b",
      "a | b",
      "a; b",
      "a > out",
      "echo $HOME",
      "a `b`",
      'a"b"',
      'echo "unterminated',
      'x "$HOME"',
    ])
      expect(splitPlainCommand(text)).toBeUndefined();
  });
});
