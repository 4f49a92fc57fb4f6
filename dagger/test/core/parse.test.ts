import { describe, expect, it } from "vitest";
import { eslintGate } from "../../src/core/parse/eslint.js";
import {
  licenseGate,
  yarnProductionLicenses,
} from "../../src/core/parse/licenses.js";
import { prettierGate } from "../../src/core/parse/prettier.js";
import { typecheckGate } from "../../src/core/parse/tsc.js";
import { testsGate } from "../../src/core/parse/testCounts.js";
import { coverageGates, parseVitestJson } from "../../src/core/parse/vitest.js";
import { DEFAULT_LICENSE_ALLOW } from "../../src/core/config.js";
import { FIXTURE_ROOT, toolOutput } from "./fixtures.js";

describe("eslint", () => {
  it("passes a clean report", () => {
    expect(
      eslintGate(toolOutput("eslint-clean.json"), FIXTURE_ROOT, null),
    ).toMatchObject({
      status: "pass",
      figure: "0 errors, 0 warnings",
    });
  });

  it("fails on errors with repository-relative locations", () => {
    const gate = eslintGate(
      toolOutput("eslint-errors.json"),
      FIXTURE_ROOT,
      null,
    );
    expect(gate.status).toBe("fail");
    expect(gate.figure).toBe("3 errors, 0 warnings");
    expect(gate.details).toContain(
      "src/broken.ts:2:7 error 'unused' is assigned a value but never used. (@typescript-eslint/no-unused-vars)",
    );
    expect(
      gate.details.some((line) =>
        line.includes("@typescript-eslint/no-explicit-any"),
      ),
    ).toBe(true);
  });
});

describe("prettier", () => {
  it("lists unformatted files", () => {
    const gate = prettierGate(toolOutput("prettier-unformatted.txt"), 1);
    expect(gate).toMatchObject({
      status: "fail",
      figure: "1 unformatted files",
      details: ["src/messy.ts is not formatted"],
    });
  });

  it("skips only its closing line, not a file whose name holds the same words (hand-written output)", () => {
    const output =
      "[warn] docs/Code style issues found.md\n[warn] Code style issues found in the above file. Run Prettier with --write to fix.\n";
    expect(prettierGate(output, 1).details).toEqual([
      "docs/Code style issues found.md is not formatted",
    ]);
  });

  it("reports a crash instead of zero files", () => {
    const gate = prettierGate("sh: 1: prettier: not found", 127);
    expect(gate).toMatchObject({ status: "fail", figure: "did not run" });
  });
});

describe("tsc", () => {
  it("turns diagnostics into locations", () => {
    const gate = typecheckGate(toolOutput("tsc-errors.txt"), 2);
    expect(gate).toMatchObject({
      status: "fail",
      figure: "1 errors",
      details: [
        "src/broken.ts:3:9 TS2322 Type 'string' is not assignable to type 'number'.",
      ],
    });
    expect(typecheckGate("", 0).status).toBe("pass");
  });
});

describe("vitest", () => {
  it("passes a green run", () => {
    const counts = parseVitestJson(
      toolOutput("vitest-passing.json"),
      FIXTURE_ROOT,
    );
    expect(testsGate(counts, 0, "")).toMatchObject({
      status: "pass",
      figure: "3 passed, 0 failed, 0 skipped",
    });
  });

  it("names each failing test with its assertion", () => {
    const counts = parseVitestJson(
      toolOutput("vitest-failing.json"),
      FIXTURE_ROOT,
    );
    expect(counts).toEqual({
      passed: 3,
      failed: 1,
      skipped: 0,
      failures: [
        "test/prices.test.ts > a deliberately failing case > expects the wrong total: AssertionError: expected 3 to be 4 // Object.is equality",
      ],
    });
  });

  it("reports a test file that cannot load", () => {
    const counts = parseVitestJson(
      toolOutput("vitest-load-error.json"),
      FIXTURE_ROOT,
    );
    expect(counts.failed).toBe(1);
    expect(counts.failures.join("\n")).toContain(
      "test/broken-import.test.ts > ",
    );
    expect(counts.failures.join("\n")).toContain("missing-module");
  });

  it("gates coverage on each configured metric", () => {
    const gates = coverageGates(toolOutput("coverage-summary-low.json"), {
      lines: 80,
      branches: 70,
    });
    expect(gates.map((gate) => [gate.name, gate.status, gate.figure])).toEqual([
      ["coverage: lines", "fail", "57.14%"],
      ["coverage: branches", "pass", "71.42%"],
    ]);
  });
});

describe("licenses", () => {
  it("flags packages outside the allow-list", () => {
    const gate = licenseGate(
      JSON.parse(toolOutput("license-checker.json")),
      DEFAULT_LICENSE_ALLOW,
    );
    expect(gate.status).toBe("fail");
    expect(gate.details).toEqual([
      "lightningcss-linux-x64-gnu@1.33.0 is licensed MPL-2.0, not in the allow-list",
      "lightningcss@1.33.0 is licensed MPL-2.0, not in the allow-list",
      "sample-app@1.0.0 is licensed UNLICENSED, not in the allow-list",
    ]);
  });

  it("evaluates SPDX expressions", () => {
    const packages = {
      "a@1.0.0": { licenses: "(MIT OR GPL-3.0)" },
      "b@1.0.0": { licenses: "MIT AND GPL-3.0" },
    };
    expect(licenseGate(packages, ["MIT"]).details).toEqual([
      "b@1.0.0 is licensed MIT AND GPL-3.0, not in the allow-list",
    ]);
  });

  it("keeps evaluating SPDX expressions when the allow-list also names a custom license, which matches exactly", () => {
    const packages = {
      "a@1.0.0": { licenses: ["GPL-3.0", "MIT"] },
      "b@1.0.0": { licenses: "SEE LICENSE IN LICENSE.md" },
      "c@1.0.0": { licenses: "GPL-3.0" },
      "d@1.0.0": { licenses: "Some Other Custom" },
    };
    expect(
      licenseGate(packages, ["MIT", "SEE LICENSE IN LICENSE.md"]).details,
    ).toEqual([
      "c@1.0.0 is licensed GPL-3.0, not in the allow-list",
      "d@1.0.0 is licensed Some Other Custom, not in the allow-list",
    ]);
  });
});

describe("licenses of a yarn Plug'n'Play install, from yarn info", () => {
  const info = toolOutput("yarn-info.ndjson");

  it("lists the production and optional dependencies with what they depend on, not the development ones", () => {
    expect(
      yarnProductionLicenses(info, ["debug", "ws", "@sindresorhus/is", "ms"]),
    ).toEqual({
      "@sindresorhus/is@4.6.0": { licenses: "MIT" },
      "debug@4.4.3": { licenses: "MIT" },
      "ms@2.1.3": { licenses: "MIT" },
      "ws@8.23.0": { licenses: "MIT" },
    });
    // ms stays, as debug's dependency, when it is not a direct one.
    expect(Object.keys(yarnProductionLicenses(info, ["debug"]))).toEqual([
      "debug@4.4.3",
      "ms@2.1.3",
    ]);
    expect(yarnProductionLicenses(info, [])).toEqual({});
  });

  it("follows a dependency cycle once, leaves out the repository's own workspaces and gives an undeclared license none", () => {
    const line = (value: string, children: object) =>
      JSON.stringify({ value, children });
    const dependency = (locator: string) => ({
      descriptor: locator.replace(/@npm:/, "@npm:^"),
      locator,
    });
    const ndjson = [
      line("app@workspace:.", {
        Version: "1.0.0",
        Dependencies: [
          dependency("a@npm:1.0.0"),
          dependency("lib@workspace:lib"),
        ],
      }),
      line("lib@workspace:lib", {
        Version: "0.0.0",
        Manifest: { License: "UNLICENSED" },
        Dependencies: [dependency("b@npm:2.0.0")],
      }),
      line("a@npm:1.0.0", {
        Version: "1.0.0",
        Manifest: { License: "ISC" },
        Dependencies: [dependency("b@npm:2.0.0")],
      }),
      line("b@npm:2.0.0", {
        Version: "2.0.0",
        Manifest: { License: null },
        Dependencies: [dependency("a@npm:1.0.0")],
      }),
      "",
    ].join("\n");
    expect(yarnProductionLicenses(ndjson, ["a", "lib"])).toEqual({
      "a@1.0.0": { licenses: "ISC" },
      "b@2.0.0": {},
    });
    expect(
      licenseGate(yarnProductionLicenses(ndjson, ["a"]), ["ISC"]).details,
    ).toEqual(["b@2.0.0 is licensed UNKNOWN, not in the allow-list"]);
  });

  it("names what is missing when the output has no root workspace", () => {
    expect(() => yarnProductionLicenses("", ["a"])).toThrow(
      "yarn info listed no root workspace (name@workspace:.)",
    );
  });
});

describe("prettier with colours", () => {
  it("reads warnings even when the terminal colours them", () => {
    const coloured =
      "Checking formatting...\n[\u001b[33mwarn\u001b[39m] src/messy.ts\n[\u001b[33mwarn\u001b[39m] Code style issues found in the above file. Run Prettier with --write to fix.\n";
    expect(prettierGate(coloured, 1).details).toEqual([
      "src/messy.ts is not formatted",
    ]);
  });
});
