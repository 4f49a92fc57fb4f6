import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  installRuntimeTools,
  loadFunctions,
  prepareAsRuntime,
  rewritePackageJson,
  rewriteTsconfig,
} from "./moduleRuntime.js";
import { GANTRY_FUNCTIONS, TARGET_FUNCTIONS } from "./functions.js";

const MODULE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const TOOLS_DIR = join(tmpdir(), "gantry-module-runtime-tools");
let path: string;
let prepared: string;

beforeAll(async () => {
  path = installRuntimeTools(TOOLS_DIR);
  prepared = await prepareAsRuntime(MODULE_DIR, TOOLS_DIR, path);
}, 300_000);

afterAll(() =>
  rmSync(join(prepared, "../.."), { recursive: true, force: true }),
);

describe("the module as Dagger's TypeScript runtime (v0.21.8) loads it", () => {
  it("installs with production dependencies only, links against the bundled SDK and lists every function", () => {
    const functions = loadFunctions(
      prepared,
      TOOLS_DIR,
      path,
      "gantry",
      "Gantry",
    );
    expect(functions.sort()).toEqual(GANTRY_FUNCTIONS);
    expect(
      loadFunctions(prepared, TOOLS_DIR, path, "gantry", "Target").sort(),
    ).toEqual(TARGET_FUNCTIONS);
  }, 120_000);
});

describe("the runtime's rewrites, as read in its source", () => {
  it("drops the SDK dependency, keeps an existing typescript entry and forces ES modules", () => {
    const rewritten = JSON.parse(
      rewritePackageJson(
        JSON.stringify({
          dependencies: { "@dagger.io/dagger": "0.21.8", typescript: "^6.0.3" },
          devDependencies: { "@dagger.io/dagger": "0.21.8", vitest: "^4" },
        }),
      ),
    );
    expect(rewritten).toEqual({
      type: "module",
      dependencies: { typescript: "^6.0.3" },
      devDependencies: { vitest: "^4" },
    });
    // Only a missing entry gets the runtime's pin; a devDependencies entry stays where it is.
    expect(
      JSON.parse(
        rewritePackageJson(
          JSON.stringify({ devDependencies: { typescript: "^6" } }),
        ),
      ),
    ).toEqual({
      type: "module",
      dependencies: { typescript: "5.9.3" },
      devDependencies: { typescript: "^6" },
    });
  });

  it("points the SDK import at the bundled library", () => {
    const tsconfig = JSON.parse(
      rewriteTsconfig(JSON.stringify({ compilerOptions: { strict: true } })),
    );
    expect(tsconfig.compilerOptions).toEqual({
      strict: true,
      experimentalDecorators: true,
      paths: {
        "@dagger.io/dagger": ["./sdk/index.ts"],
        "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
      },
    });
  });
});
