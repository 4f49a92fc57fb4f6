import type { Directory } from "@dagger.io/dagger";

// The deliberate failures the e2e lane applies on top of the clean sample app, one per gate.

/** An unused variable: an ESLint error at src/unused.ts:2:9. */
export const withLintError = (source: Directory) =>
  source.withNewFile(
    "src/unused.ts",
    "export function f(): number {\n  const unused = 1;\n  return 2;\n}\n",
  );

/** A file Prettier would reformat. */
export const withUnformattedFile = (source: Directory) =>
  source.withNewFile("src/messy.ts", "export const   messy = {a:1,\n b:2}\n");

/** A TS2322 at src/wrong.ts:1:14. */
export const withTypeError = (source: Directory) =>
  source.withNewFile("src/wrong.ts", 'export const count: number = "three";\n');

/** A test expecting 4 where the code gives 3. */
export const withFailingTest = (source: Directory) =>
  source.withNewFile(
    "test/wrong.test.ts",
    'import { expect, it } from "vitest";\nimport { totalCents } from "../src/prices.js";\n\nit("expects the wrong total", () => {\n  expect(totalCents([1, 2])).toBe(4);\n});\n',
  );

/** Code no test runs, pulling line coverage under 80%. */
export const withUntestedCode = (source: Directory) =>
  source.withNewFile(
    "src/untested.ts",
    "export function untested(value: number): number {\n  if (value > 10) {\n    return value * 2;\n  }\n  return value - 1;\n}\n",
  );

// A live-looking Stripe key, assembled at run time so this repository's own secret scan stays clean.
const FAKE_STRIPE_KEY = [
  "sk",
  "live",
  "51Habc9TgQ2ZsDnA7kLmPqRsTuVwXyZ0123456789",
].join("_");

/** The key in a local .env, left out by the repository's .gitignore as a developer's settings would be. */
export const withIgnoredEnvFile = (source: Directory) =>
  source
    .withNewFile(".gitignore", "node_modules\ndist\ncoverage\n.env\n")
    .withNewFile(".env", `STRIPE_KEY=${FAKE_STRIPE_KEY}\n`);

/** The same .env, not ignored: committed, or about to be. */
export const withEnvFile = (source: Directory) =>
  source.withNewFile(".env", `STRIPE_KEY=${FAKE_STRIPE_KEY}\n`);

/** A committed secret in src/payments.ts (and so in the built image). */
export const withCommittedSecret = (source: Directory) =>
  source.withNewFile(
    "src/payments.ts",
    `export const stripeKey = "${FAKE_STRIPE_KEY}";\n`,
  );

/** A Dockerfile whose image runs as root and declares no HEALTHCHECK. */
export const withRootImage = (source: Directory) =>
  source.withNewFile(
    "Dockerfile",
    'ARG NODE_IMAGE=node:22-bookworm-slim\nFROM ${NODE_IMAGE}\nWORKDIR /app\nCOPY src ./src\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n',
  );

/** An ESLint config that crashes (exit 2) after printing when it ran, so a replayed result shows the same time. */
export const withCrashingLinter = (source: Directory) =>
  source.withNewFile(
    "eslint.config.js",
    "console.error(`linter crashed at ${process.hrtime.bigint()}`);\nprocess.exit(2);\n",
  );

/** A gantry.config.json with the given content. */
export const withConfig = (config: unknown) => (source: Directory) =>
  // Indented like a file a developer commits, so a repository's own format check accepts it.
  source.withNewFile(
    "gantry.config.json",
    `${JSON.stringify(config, null, 2)}\n`,
  );
