import { defineConfig } from "vitest/config";

// The unit lane Stryker mutates against: test/core only, never e2e (needs the engine) or test/module (slow, and it
// tests module loading, not core logic). GANTRY_MUTATION_TESTS (comma-separated globs) narrows it for a quick run
// over a few files: a mutant those tests miss may still be killed by the others, so such a run's score is a lower
// bound (see test/MUTATION.md).
const narrowed = process.env.GANTRY_MUTATION_TESTS?.split(",").filter(Boolean);

export default defineConfig({
  test: {
    include: narrowed?.length ? narrowed : ["test/core/**/*.test.ts"],
  },
});
