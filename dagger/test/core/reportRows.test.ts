// The exact report rows (name, status, figure, threshold, details) the gates a user reads are built from; inputs are
// synthetic (hand-written inline) where a fixture of real output would not reach the case.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config.js";
import {
  brokenGate,
  exitCodeGate,
  failureMessage,
  maximumGate,
  skippedGate,
  timeStage,
} from "../../src/core/gates.js";
import { licenseGate } from "../../src/core/parse/licenses.js";
import { prettierGate } from "../../src/core/parse/prettier.js";
import { typecheckGate } from "../../src/core/parse/tsc.js";
import {
  detectToolchain,
  TOOLCHAIN_FILES,
  toolchainGate,
} from "../../src/core/toolchain/toolchain.js";

describe("generic gates", () => {
  it("a skipped check says why", () => {
    expect(skippedGate("build", "no Dockerfile")).toEqual({
      name: "build",
      status: "skip",
      figure: "skipped",
      threshold: "-",
      details: ["no Dockerfile"],
    });
  });

  it("a script judged by its exit code passes on 0 and shows its output otherwise", () => {
    expect(exitCodeGate("lint", 0, "all good")).toEqual({
      name: "lint",
      status: "pass",
      figure: "exit code 0",
      threshold: "exit code 0",
      details: [],
    });
    expect(exitCodeGate("lint", 2, "a.ts: bad\nb.ts: bad")).toEqual({
      name: "lint",
      status: "fail",
      figure: "exit code 2",
      threshold: "exit code 0",
      details: ["a.ts: bad", "b.ts: bad"],
    });
  });

  it("a check that could not run fails unless told to warn", () => {
    expect(brokenGate("scan: audit", "registry unreachable")).toEqual({
      name: "scan: audit",
      status: "fail",
      figure: "did not run",
      threshold: "-",
      details: ["registry unreachable"],
    });
    expect(brokenGate("scan: audit", "x", "warn").status).toBe("warn");
  });

  it("a maximum without a unit shows bare numbers", () => {
    expect(maximumGate("layers", 31, 30)).toEqual({
      name: "layers",
      status: "fail",
      figure: "31",
      threshold: "<= 30",
      details: ["layers is 31, above the allowed 30"],
    });
  });

  it("a skipped stage is not run and reports one skipped row", async () => {
    let ran = false;
    const gates = await timeStage(
      "load",
      async () => {
        ran = true;
        return [];
      },
      true,
    );
    expect(ran).toBe(false);
    expect(gates).toEqual([
      {
        name: "load",
        status: "skip",
        figure: "skipped",
        threshold: "-",
        durationMs: 0,
        details: [],
      },
    ]);
  });

  it("a stage's duration is its wall time, not a timestamp", async () => {
    const [gate] = await timeStage("lint", async () => [
      skippedGate("lint", "none"),
    ]);
    expect(gate.durationMs).toBeGreaterThanOrEqual(0);
    expect(gate.durationMs).toBeLessThan(60_000);
  });
});

describe("failureMessage", () => {
  it("names an unknown command and keeps short stderr whole, blank lines trimmed", () => {
    const error = Object.assign(new Error("exit code: 3"), {
      stderr: "\nfirst\nsecond\n\n",
    });
    expect(failureMessage(error)).toBe(
      "a command failed (exit code: 3):\nfirst\nsecond",
    );
  });

  it("keeps only the last five error lines above the tail, and strips engine IDs from stderr too", () => {
    const engineId = "A".repeat(90);
    const stderr = [
      ...Array.from({ length: 7 }, (_, index) => `error ${index}`),
      "noise",
      ...Array.from({ length: 8 }, (_, index) => `tail ${index} ${engineId}`),
    ].join("\n");
    const lines = failureMessage(
      Object.assign(new Error("exit code: 1"), { cmd: ["x"], stderr }),
    ).split("\n");
    expect(lines.slice(1, 7)).toEqual([
      "error 2",
      "error 3",
      "error 4",
      "error 5",
      "error 6",
      "…",
    ]);
    expect(lines.at(-1)).toBe("tail 7 …");
    expect(lines).toHaveLength(15);
  });
});

describe("tsc", () => {
  it("reads each diagnostic, wherever the line is indented", () => {
    const output =
      "  src/a.ts(12,34): error TS2304: Cannot find name 'x'.\nsrc/b.ts(1,2): error TS1005: ';' expected.\nFound 2 errors.\n";
    expect(typecheckGate(output, 2)).toEqual({
      name: "typecheck",
      status: "fail",
      figure: "2 errors",
      threshold: "0 errors",
      details: [
        "src/a.ts:12:34 TS2304 Cannot find name 'x'.",
        "src/b.ts:1:2 TS1005 ';' expected.",
      ],
    });
  });

  it("a crash without diagnostics shows the last five lines of output", () => {
    const output = [
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "sh: tsc: not found",
      "",
    ].join("\n");
    expect(typecheckGate(output, 127)).toEqual({
      name: "typecheck",
      status: "fail",
      figure: "did not run",
      threshold: "0 errors",
      details: ["3\n4\n5\n6\nsh: tsc: not found"],
    });
  });

  it("exit 0 passes with zero errors", () => {
    expect(typecheckGate("", 0)).toMatchObject({
      status: "pass",
      figure: "0 errors",
      details: [],
    });
  });
});

describe("prettier", () => {
  it("passes a clean check", () => {
    expect(
      prettierGate(
        "Checking formatting...\nAll matched files use Prettier code style!\n",
        0,
      ),
    ).toEqual({
      name: "format: prettier",
      status: "pass",
      figure: "0 unformatted files",
      threshold: "0 files",
      details: [],
    });
  });

  it("a crash shows the last five lines of output", () => {
    expect(
      prettierGate(
        'a\nb\nc\nd\ne\n[error] No files matching the pattern were found: "src".\n',
        2,
      ),
    ).toMatchObject({
      status: "fail",
      figure: "did not run",
      details: [
        'b\nc\nd\ne\n[error] No files matching the pattern were found: "src".',
      ],
    });
  });

  it("only whole [warn] lines name files; the summary line is not a file", () => {
    expect(
      prettierGate(
        "  [warn] src/a.ts  \nnote [warn] src/not-a-file.ts\n[warn] Code style issues found in 2 files. Run Prettier with --write to fix.\n",
        1,
      ).details,
    ).toEqual(["src/a.ts is not formatted"]);
  });
});

describe("licenses", () => {
  it("passes when every package is allowed, counting them", () => {
    expect(licenseGate({ "a@1.0.0": { licenses: "MIT" } }, ["MIT"])).toEqual({
      name: "scan: licenses",
      status: "pass",
      figure: "0 of 1 packages not allowed",
      threshold: "0 packages",
      details: [],
    });
  });

  it("accepts a package with several licenses when one of them is allowed and a guessed one (*); refuses one without or with a non-SPDX license", () => {
    const packages = {
      "dual@1.0.0": { licenses: ["GPL-3.0", "MIT"] },
      "guessed@1.0.0": { licenses: "MIT*" },
      "none@1.0.0": {},
      "custom@1.0.0": { licenses: "Custom: LICENSE.md" },
    };
    expect(licenseGate(packages, ["MIT"])).toMatchObject({
      figure: "2 of 4 packages not allowed",
      details: [
        "none@1.0.0 is licensed UNKNOWN, not in the allow-list",
        "custom@1.0.0 is licensed Custom: LICENSE.md, not in the allow-list",
      ],
    });
    expect(licenseGate(packages, ["Apache-2.0"]).details).toEqual([
      "dual@1.0.0 is licensed (GPL-3.0) OR (MIT), not in the allow-list",
      "guessed@1.0.0 is licensed MIT*, not in the allow-list",
      "none@1.0.0 is licensed UNKNOWN, not in the allow-list",
      "custom@1.0.0 is licensed Custom: LICENSE.md, not in the allow-list",
    ]);
  });
});

describe("toolchain row", () => {
  const detect = (
    configJson: object,
    packageJson: Record<string, unknown>,
    rootEntries = ["package.json"],
    files: Record<string, string> = {},
  ) =>
    detectToolchain({
      rootEntries,
      packageJson,
      files,
      config: parseConfig({ configJson: JSON.stringify(configJson) }),
      yarnPathExists: () => false,
    });

  it("lists what was detected and passes", () => {
    const toolchain = detect(
      { images: { node: "mirror.local/node:22" } },
      { scripts: { test: "vitest run", lint: "eslint . && stylelint ." } },
    );
    expect(toolchain.nodeImage).toBe("mirror.local/node:22");
    const gate = toolchainGate(toolchain);
    expect(gate).toMatchObject({
      name: "toolchain",
      status: "pass",
      figure: "node 22, npm",
      threshold: "detected",
    });
    expect(gate.details.slice(0, 5)).toEqual([
      "node 22 from Gantry's default, image mirror.local/node:22",
      "package manager: npm (no lockfile)",
      'lint: script "lint" (package.json scripts.lint)',
      expect.stringMatching(/^format: skipped: no formatter/),
      "test: vitest run (package.json scripts.test)",
    ]);
  });

  it("derives the image from the detected Node version, and warns when corepack skips signature checks", () => {
    const toolchain = detect(
      { packageManager: { verifySignatures: false } },
      { packageManager: "pnpm@9.1.0" },
      ["package.json", "pnpm-lock.yaml", ".nvmrc"],
      { ".nvmrc": "20\n" },
    );
    expect(toolchain.nodeImage).toBe("node:20-bookworm-slim");
    const gate = toolchainGate(toolchain);
    expect(gate.status).toBe("warn");
    expect(gate.details[0]).toBe(
      "corepack installs pnpm WITHOUT verifying its signature (packageManager.verifySignatures is false in gantry.config.json)",
    );
    const verified = toolchainGate(
      detect({}, { packageManager: "pnpm@9.1.0" }, ["package.json"]),
    );
    expect(verified.status).toBe("pass");
    expect(verified.details[0]).toMatch(/^node 22 /);
  });

  it("reads the Node version and package manager files", () => {
    expect(TOOLCHAIN_FILES).toEqual(
      expect.arrayContaining([".nvmrc", ".node-version", ".yarnrc.yml"]),
    );
  });
});
