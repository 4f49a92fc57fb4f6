import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config.js";
import {
  detectToolchain,
  toolchainGate,
} from "../../../src/core/toolchain/toolchain.js";

describe("toolchainGate", () => {
  it("describes each check as its command line and origin", () => {
    // Hand-written repository: xo (which runs without arguments) and Prettier installed, a jest test script.
    const toolchain = detectToolchain({
      rootEntries: ["package.json"],
      packageJson: {
        scripts: { test: "jest --ci --runInBand" },
        devDependencies: { xo: "1", prettier: "3", jest: "30" },
      },
      files: {},
      config: parseConfig({}),
      yarnPathExists: () => false,
    });
    expect(toolchainGate(toolchain).details.slice(2)).toEqual([
      "lint: xo (xo is installed)",
      "format: prettier --check . (Prettier is installed)",
      "test: jest --ci --runInBand (package.json scripts.test)",
      expect.stringMatching(/^typecheck: skipped: no type check/),
    ]);
  });
});
