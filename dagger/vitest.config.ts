import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The sample app's own tests run inside the pipeline under test, not here.
    exclude: ["test/fixtures/**", "**/node_modules/**"],
  },
});
