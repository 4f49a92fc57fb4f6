import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Only the service's own tests; dagger/ and test/engine/ have their own runners.
    include: ["test/**/*.test.ts"],
    exclude: ["test/engine/**", "**/node_modules/**"],
    // Integration tests start servers and create databases; allow for a slow CI box.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**"],
      reporter: ["text", "json-summary", "html"],
      reportsDirectory: "coverage",
      thresholds: { lines: 80 },
    },
  },
});
