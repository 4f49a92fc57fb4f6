// Mutation testing of dagger/src/core against the core unit tests: scripts/mutation.sh runs it, test/MUTATION.md
// records the result. Slow (minutes), so not part of .ci/run.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ["src/core/**/*.ts"],
  testRunner: "vitest",
  // related: false, since vitest's related-file filter left most config tests out of the runs of schema mutants.
  vitest: { configFile: "vitest.stryker.config.ts", related: false },
  // Type errors a mutant causes are not survivors: the TypeScript checker discards them before any test runs.
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.stryker.json",
  coverageAnalysis: "perTest",
  // The machine is small and shared; scripts/mutation.sh passes --concurrency to change it.
  concurrency: 1,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Only what the core lane needs goes into Stryker's sandbox.
  ignorePatterns: [
    "test/e2e",
    "test/module",
    "test/engine",
    "scripts",
    "src/stages",
    "src/index.ts",
    // Reports and the sandboxes of other runs (narrowed runs give each its own tempDirName).
    "/reports",
    "/.stryker-tmp*",
  ],
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 10000,
};
