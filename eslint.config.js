// Deliberately no type-aware rules: lint must work on any file in the repo
// (service, dagger/ module, k6/ scripts) without a tsconfig project for each.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "**/node_modules/",
    "**/dist/",
    "coverage/",
    "dagger/sdk/",
    "test/engine/.state/",
    "bench/results/",
    ".test-results/",
    // Test data: the e2e lane lints these with their own config and asserts the outcome.
    "dagger/test/fixtures/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: globals.node,
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // k6 runs scripts in its own JS runtime, not Node.
    files: ["k6/**/*.js"],
    languageOptions: {
      globals: {
        __ENV: "readonly",
        __VU: "readonly",
        __ITER: "readonly",
        open: "readonly",
      },
    },
  },
);
