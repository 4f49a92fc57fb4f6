import type { RepositoryFiles } from "./nodeVersion.js";
import type { PackageJson } from "./packageJson.js";

/** The package managers Gantry drives. */
export type PackageManagerName = "npm" | "pnpm" | "yarn";

/** Where the package manager's own program comes from. */
export type PackageManagerSource =
  /** The Node image's npm (and yarn classic, which the official images ship). */
  | { kind: "image" }
  /** corepack, at the version of package.json's packageManager field (its own default without one). */
  | { kind: "corepack"; verifySignatures: boolean }
  /** The release the repository commits (yarn berry's yarnPath): nothing is downloaded. */
  | { kind: "committed"; path: string };

/** How to install, run scripts and run binaries with one package manager. */
export interface PackageManager {
  name: PackageManagerName;
  /** Yarn's two generations differ in every command and output format. */
  flavor: "npm" | "pnpm" | "yarn-classic" | "yarn-berry";
  /** e.g. "pnpm 10.12.1 (packageManager field)", for the report. */
  description: string;
  source: PackageManagerSource;
  lockfile: string | null;
  /** Files that decide what gets installed; copied before the source so an edit does not reinstall. */
  manifests: string[];
  /** The package manager's own command, e.g. ["node", ".yarn/releases/yarn-4.18.1.cjs"]. */
  program: string[];
  install: string[];
  /** Whether installing runs the root package's prepare script (npm, pnpm, yarn classic; not yarn berry). */
  preparesOnInstall: boolean;
  /** Yarn berry's Plug'n'Play linker (its default): the install writes .pnp.cjs and no node_modules. */
  plugAndPlay: boolean;
  /** Removes development dependencies from a full install, from what it already has, for Gantry's default Dockerfile. */
  pruneToProduction: string[];
  /** Download caches, each mounted as a cache volume (never node_modules). */
  cacheDirs: string[];
  /** Environment every command of this package manager runs with. */
  env: Record<string, string>;
  run(script: string, args?: string[]): string[];
  exec(binary: string, args?: string[]): string[];
  audit: string[];
}

/** The files detectPackageManager reads besides package.json. */
export const PACKAGE_MANAGER_FILES = [".yarnrc.yml", "yarn.lock"];

const LOCKFILES: [string, PackageManagerName][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

const SHARED_MANIFESTS = [
  "**/package.json",
  ".npmrc",
  "pnpm-workspace.yaml",
  ".pnpmfile.cjs",
  ".yarnrc",
  ".yarnrc.yml",
  ".yarn/releases/**",
  ".yarn/plugins/**",
  ".yarn/patches/**",
  "patches/**",
];

/** Where corepack keeps the package managers it downloaded. */
export const COREPACK_HOME = "/root/.cache/node/corepack";

// pnpm and both yarns run a script (and yarn classic a binary) with `run`, passing the arguments straight on; pnpm and
// yarn berry run a binary with `exec`.
const runScript = (name: string, args: string[]) => ["run", name, ...args];
const execBinary = (binary: string, args: string[]) => [
  "exec",
  binary,
  ...args,
];
const AUDIT_JSON = ["audit", "--json"];

/** What the repository says about its package manager, read by the caller. */
export interface PackageManagerInputs {
  rootEntries: string[];
  packageJson: Pick<PackageJson, "packageManager">;
  files: RepositoryFiles;
  /** The gantry config's packageManager section. */
  config: { name?: PackageManagerName; verifySignatures: boolean };
  /** Whether the yarnPath of .yarnrc.yml exists in the repository. */
  yarnPathExists: (path: string) => boolean;
}

/**
 * The package manager from the config, else package.json's packageManager field, else the lockfile, else npm; yarn
 * is berry (2+) when the field, .yarnrc.yml or the lockfile's format says so, and runs the committed yarnPath
 * release when there is one.
 */
export function detectPackageManager(
  inputs: PackageManagerInputs,
): PackageManager {
  const { rootEntries, files, config } = inputs;
  const field = parsePackageManagerField(inputs.packageJson.packageManager);
  const lock = LOCKFILES.find(([file]) => rootEntries.includes(file));
  const name = config.name ?? field?.name ?? lock?.[1] ?? "npm";
  const lockfile =
    LOCKFILES.find(
      ([file, owner]) => owner === name && rootEntries.includes(file),
    )?.[0] ?? null;
  const origin = config.name
    ? "gantry config"
    : field
      ? "packageManager field"
      : lockfile
        ? lockfile
        : "no lockfile";
  const manifests = [...SHARED_MANIFESTS, ...(lockfile ? [lockfile] : [])];
  const detected = { name, lockfile, manifests };
  // pnpm and yarn install, with the flag that refuses to change the lockfile when there is one.
  const lockedInstall = (lockedFlag: string, ...flags: string[]) => [
    "install",
    ...flags,
    ...(lockfile ? [lockedFlag] : []),
  ];
  const versioned = (label: string) =>
    `${label}${field?.name === name ? ` ${field.version}` : ""} (${origin})`;
  const corepack: PackageManagerSource = {
    kind: "corepack",
    verifySignatures: config.verifySignatures,
  };

  if (name === "pnpm") {
    return withCommands({
      ...detected,
      flavor: "pnpm",
      description: versioned("pnpm"),
      source: corepack,
      program: ["pnpm"],
      install: lockedInstall("--frozen-lockfile"),
      pruneToProduction: ["prune", "--prod"],
      cacheDirs: ["/root/.local/share/pnpm/store", COREPACK_HOME],
      runArgs: runScript,
      execArgs: execBinary,
      auditArgs: AUDIT_JSON,
    });
  }
  if (name === "yarn") {
    const berry = isBerry(field, files);
    if (!berry) {
      return withCommands({
        ...detected,
        flavor: "yarn-classic",
        description: versioned("yarn classic"),
        source: { kind: "image" },
        program: ["yarn"],
        install: lockedInstall("--frozen-lockfile"),
        // Over an install, yarn classic removes what --production leaves out, taking the rest from its cache.
        pruneToProduction: lockedInstall("--frozen-lockfile", "--production"),
        cacheDirs: ["/usr/local/share/.cache/yarn"],
        runArgs: runScript,
        execArgs: runScript,
        auditArgs: AUDIT_JSON,
      });
    }
    const yarnrc = files[".yarnrc.yml"];
    const yarnPath = yarnPathOf(yarnrc);
    const committed = yarnPath !== undefined && inputs.yarnPathExists(yarnPath);
    return withCommands({
      ...detected,
      flavor: "yarn-berry",
      description: versioned(
        committed ? `yarn berry, committed ${yarnPath},` : "yarn berry",
      ),
      source: committed ? { kind: "committed", path: yarnPath } : corepack,
      program: committed ? ["node", yarnPath] : ["yarn"],
      install: lockedInstall("--immutable"),
      pruneToProduction: ["workspaces", "focus", "--all", "--production"],
      cacheDirs: ["/root/.yarn/berry/cache", COREPACK_HOME],
      env: { YARN_ENABLE_TELEMETRY: "0" },
      plugAndPlay: nodeLinkerOf(yarnrc) === "pnp",
      runArgs: runScript,
      execArgs: execBinary,
      auditArgs: ["npm", "audit", "--json", "--recursive"],
    });
  }
  return withCommands({
    ...detected,
    flavor: "npm",
    description: versioned("npm"),
    source: { kind: "image" },
    program: ["npm"],
    install: lockfile ? ["ci", "--no-audit", "--no-fund"] : ["install"],
    pruneToProduction: ["prune", "--omit=dev", "--no-audit", "--no-fund"],
    cacheDirs: ["/root/.npm"],
    runArgs: (script, args) => [
      "run",
      script,
      ...(args.length ? ["--", ...args] : []),
    ],
    // npx, not npm exec: the same, but it never installs what the repository does not have.
    execArgs: (binary, args) => ["--no-install", binary, ...args],
    auditArgs: AUDIT_JSON,
  });
}

interface CommandSpec {
  name: PackageManagerName;
  flavor: PackageManager["flavor"];
  description: string;
  source: PackageManagerSource;
  lockfile: string | null;
  manifests: string[];
  program: string[];
  install: string[];
  pruneToProduction: string[];
  cacheDirs: string[];
  env?: Record<string, string>;
  plugAndPlay?: boolean;
  runArgs: (script: string, args: string[]) => string[];
  execArgs: (binary: string, args: string[]) => string[];
  auditArgs: string[];
}

function withCommands(spec: CommandSpec): PackageManager {
  const { program } = spec;
  const execProgram = spec.name === "npm" ? ["npx"] : program;
  return {
    name: spec.name,
    flavor: spec.flavor,
    description: spec.description,
    source: spec.source,
    lockfile: spec.lockfile,
    manifests: spec.manifests,
    program,
    install: [...program, ...spec.install],
    pruneToProduction: [...program, ...spec.pruneToProduction],
    preparesOnInstall: spec.flavor !== "yarn-berry",
    plugAndPlay: spec.plugAndPlay ?? false,
    cacheDirs: spec.cacheDirs,
    env: { ...spec.env, ...corepackEnv(spec.source) },
    run: (script, args = []) => [...program, ...spec.runArgs(script, args)],
    exec: (binary, args = []) => [
      ...execProgram,
      ...spec.execArgs(binary, args),
    ],
    audit: [...program, ...spec.auditArgs],
  };
}

function corepackEnv(source: PackageManagerSource): Record<string, string> {
  if (source.kind !== "corepack") return {};
  return {
    COREPACK_HOME,
    // A prompt would hang a non-interactive run.
    COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
    // The explicit opt-out for registries whose metadata has no signatures; the report shows it as a warning.
    ...(source.verifySignatures ? {} : { COREPACK_INTEGRITY_KEYS: "0" }),
  };
}

/** "pnpm@10.12.1+sha512.abc" → { name: "pnpm", version: "10.12.1" }; anything else → undefined. */
export function parsePackageManagerField(
  value: unknown,
): { name: PackageManagerName; version: string } | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(npm|pnpm|yarn)@([^+\s]+)/.exec(value.trim());
  return match
    ? { name: match[1] as PackageManagerName, version: match[2] }
    : undefined;
}

function isBerry(
  field: { name: string; version: string } | undefined,
  files: RepositoryFiles,
): boolean {
  if (field?.name === "yarn") return !field.version.startsWith("1.");
  if (files[".yarnrc.yml"] !== undefined) return true;
  // Berry lockfiles open with a __metadata entry; classic ones with "# yarn lockfile v1".
  return /^__metadata:/m.test(files["yarn.lock"] ?? "");
}

/** .yarnrc.yml's nodeLinker; yarn berry's default, "pnp", when it sets none. */
function nodeLinkerOf(yarnrc: string | undefined): string {
  const match = /^nodeLinker:\s*["']?([^"'\s#]+)["']?/m.exec(yarnrc ?? "");
  return match?.[1] ?? "pnp";
}

/** The yarnPath setting of a .yarnrc.yml, if any. */
export function yarnPathOf(yarnrc: string | undefined): string | undefined {
  const match = /^yarnPath:\s*["']?([^"'\s#]+)["']?/m.exec(yarnrc ?? "");
  return match?.[1].replace(/^\.\//, "");
}
