import { defineConfig } from "vitest/config";

// The unit lane Stryker mutates against: test/core only, never e2e (needs the engine) or test/module (slow, and it
// tests module loading, not core logic). The tests of the sources left out of mutation (see stryker.config.mjs) are
// left out too.
export default defineConfig({
  test: {
    include: ["test/core/**/*.test.ts"],
    exclude: [
      "test/core/load/**",
      "test/core/backup/**",
      "test/core/lighthouse/**",
      "test/core/size/**",
      "test/core/parse/k6*.test.ts",
      "test/core/parse/artillery*.test.ts",
      "**/node_modules/**",
    ],
  },
});
