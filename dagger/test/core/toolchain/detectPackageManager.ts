import {
  detectPackageManager,
  type PackageManagerInputs,
} from "../../../src/core/toolchain/packageManager.js";

/** detectPackageManager on a bare repository (a package.json, nothing else) with `overrides` on top. */
export function detect(overrides: Partial<PackageManagerInputs>) {
  return detectPackageManager({
    rootEntries: ["package.json"],
    packageJson: {},
    files: {},
    config: { verifySignatures: true },
    yarnPathExists: () => false,
    ...overrides,
  });
}
