import {
  dag,
  ReturnType,
  type CacheVolume,
  type Container,
  type Directory,
} from "@dagger.io/dagger";
import { randomUUID } from "node:crypto";
import { parseConfig, type GantryConfig } from "../core/config.js";
import {
  parsePackageJson,
  type PackageJson,
} from "../core/toolchain/packageJson.js";
import {
  COREPACK_HOME,
  type PackageManager,
} from "../core/toolchain/packageManager.js";
import {
  detectToolchain,
  TOOLCHAIN_FILES,
  type Toolchain,
} from "../core/toolchain/toolchain.js";
import { yarnPathOf } from "../core/toolchain/packageManager.js";

/** Where the repository is mounted in every tool container. */
export const SRC = "/src";

/**
 * Paths never sent to the engine when --source is the default context directory: dependencies, build, test and
 * benchmark outputs, editor and OS litter. Nothing a repository may commit is left out here (a committed .env is
 * exactly what the secret scan must see): uncommitted files such as a local .env go by the repository's own
 * .gitignore, which loadProject applies before anything reads the source.
 */
export const SOURCE_IGNORE = [
  "**/node_modules",
  ".git",
  "**/dist",
  "**/coverage",
  "dagger/sdk",
  "test/engine/.state",
  "bench/results",
  ".test-results",
  ".idea",
  "**/.DS_Store",
];

// Images without ca-certificates have no bundle; pointing Node at a missing file only adds a warning to every run.
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** A repository with its validated config and detected toolchain. */
export interface Project {
  source: Directory;
  config: GantryConfig;
  toolchain: Toolchain;
  /** The toolchain's package manager, which most stages need. */
  packageManager: PackageManager;
  /** package.json, parsed. */
  manifest: PackageJson;
  /** The names at the repository's root. */
  rootEntries: string[];
  /**
   * The Dockerfile the image is built from: the repository's build.dockerfile, Gantry's default when
   * build.defaultDockerfile asks for it, or none (the image gates are skipped and nothing can be deployed).
   */
  dockerfile: "repository" | "gantry" | null;
}

/** Validates --source and its config before anything runs; what the repository's .gitignore excludes is left out. */
export async function loadProject(repository: Directory): Promise<Project> {
  const source = repository.filter({ gitignore: true });
  const entries = await source.entries();
  if (!entries.includes("package.json")) {
    throw new Error(
      "--source has no package.json at its root: expected a Node.js/TypeScript repository",
    );
  }
  const read = (file: string) =>
    entries.includes(file) ? source.file(file).contents() : undefined;
  const manifest = parsePackageJson(
    await source.file("package.json").contents(),
  );
  const config = parseConfig({
    configJson: await read("gantry.config.json"),
    packageJson: manifest,
  });
  const files = Object.fromEntries(
    await Promise.all(
      TOOLCHAIN_FILES.map(async (file) => [file, await read(file)] as const),
    ),
  );
  const yarnPath = yarnPathOf(files[".yarnrc.yml"]);
  const yarnPathExists = yarnPath ? await source.exists(yarnPath) : false;
  const toolchain = detectToolchain({
    rootEntries: entries,
    packageJson: manifest,
    files,
    config,
    yarnPathExists: () => yarnPathExists,
  });
  return {
    source,
    config,
    toolchain,
    packageManager: toolchain.packageManager,
    manifest,
    rootEntries: entries,
    dockerfile: (await source.exists(config.build.dockerfile))
      ? "repository"
      : config.build.defaultDockerfile
        ? "gantry"
        : null,
  };
}

/** The configured Node image, trusting the CA bundle the engine injects (corporate proxies, mirrors) when there is one. */
export async function nodeBase(project: Project): Promise<Container> {
  const base = dag
    .container()
    .from(project.toolchain.nodeImage)
    .withEnvVariable("CI", "true")
    .withEnvVariable("NO_COLOR", "1");
  const hasBundle =
    (await base
      .withExec(["test", "-f", CA_BUNDLE], { expect: ReturnType.Any })
      .exitCode()) === 0;
  return hasBundle
    ? base.withEnvVariable("NODE_EXTRA_CA_CERTS", CA_BUNDLE)
    : base;
}

/** The cache volume of a download cache directory, shared by every repository and tool that uses the directory. */
export function downloadCache(dir: string): CacheVolume {
  return dag.cacheVolume(`gantry-cache${dir.replace(/[^a-z0-9]+/gi, "-")}`);
}

/** The project's Node image with its package manager ready: download caches mounted, corepack set up when it is the source. */
export async function withPackageManager(project: Project): Promise<Container> {
  const { packageManager } = project;
  const base = await nodeBase(project);
  // A package manager corepack fetched without checking its signature must never be found by a run that checks it.
  const unverified =
    packageManager.source.kind === "corepack" &&
    !packageManager.source.verifySignatures;
  const cached = packageManager.cacheDirs.reduce(
    (container, dir) =>
      container.withMountedCache(
        dir,
        downloadCache(
          unverified && dir === COREPACK_HOME ? `${dir}-unverified` : dir,
        ),
      ),
    base,
  );
  const configured = Object.entries(packageManager.env).reduce(
    (container, [name, value]) => container.withEnvVariable(name, value),
    cached,
  );
  return packageManager.source.kind === "corepack"
    ? configured.withExec(["corepack", "enable"])
    : configured;
}

// The root scripts an install runs around prepare; prepare usually builds, which needs the source.
const PREPARE_SCRIPTS = ["preprepare", "prepare", "postprepare"];

/**
 * Node container with dependencies installed from the manifests alone, then the whole source laid on top. The root
 * package's prepare script, which the install would run before the source is there, runs after it instead.
 */
export async function withDependencies(project: Project): Promise<Container> {
  const installed = (await installedDependencies(project)).withDirectory(
    SRC,
    project.source,
    { exclude: ["**/node_modules"] },
  );
  return defersPrepare(project)
    ? installed.withExec(project.packageManager.run("prepare"))
    : installed;
}

/**
 * The dependencies installed from the manifests, without the rest of the source: what reads only them (the license
 * check) is not rerun by an edit of the code.
 */
export async function installedDependencies(
  project: Project,
): Promise<Container> {
  const { source, packageManager, manifest } = project;
  const scripts = manifest.scripts ?? {};
  return (
    (await withPackageManager(project))
      .withWorkdir(SRC)
      // filter, not withDirectory's include: a filter of the content-hashed source is content-hashed itself, so the
      // install is keyed by the manifests' contents and an edit elsewhere does not rerun it.
      .withDirectory(
        SRC,
        source.filter({
          include: packageManager.manifests,
          exclude: ["**/node_modules"],
        }),
      )
      .with((container) =>
        defersPrepare(project)
          ? container.withNewFile(
              `${SRC}/package.json`,
              JSON.stringify({
                ...manifest,
                scripts: Object.fromEntries(
                  Object.entries(scripts).filter(
                    ([name]) => !PREPARE_SCRIPTS.includes(name),
                  ),
                ),
              }),
            )
          : container,
      )
      .withExec(packageManager.install)
  );
}

function defersPrepare({ packageManager, manifest }: Project): boolean {
  return (
    packageManager.preparesOnInstall && manifest.scripts?.prepare !== undefined
  );
}

/** The outcome of a command whose failure is a result to report, not an error to throw. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The container after the command; after a crash, the container before it. */
  container: Container;
}

const EXIT_CODE_FILE = "/tmp/.gantry-exit-code";
// Exits 0 for the exit codes that are results (recorded in a file), with the command's own code otherwise: the
// engine caches a successful exec but never a failed one, so a crash (a missing binary, a network error) is run
// again next time instead of being replayed as a result.
const RECORD_RESULT = `codes=$1; shift; "$@"; code=$?; echo "$code" > ${EXIT_CODE_FILE}; for result in $codes; do { [ "$result" = any ] || [ "$code" = "$result" ]; } && exit 0; done; exit "$code"`;

/**
 * Runs `args` and returns its exit code and output; `resultCodes` are the exit codes that mean "ran and judged" for
 * this tool ("any" for a repository's own script, whose every exit code is its verdict).
 */
export async function capture(
  container: Container,
  args: string[],
  resultCodes: number[] | "any" = [0, 1],
  env: Record<string, string> = {},
): Promise<ExecResult> {
  const ran = Object.entries(env)
    .reduce(
      (withEnv, [name, value]) => withEnv.withEnvVariable(name, value),
      container,
    )
    .withExec([
      "sh",
      "-c",
      RECORD_RESULT,
      "gantry",
      resultCodes === "any" ? "any" : resultCodes.join(" "),
      ...args,
    ]);
  try {
    const [stdout, stderr, exitCode] = await Promise.all([
      ran.stdout(),
      ran.stderr(),
      ran.file(EXIT_CODE_FILE).contents(),
    ]);
    return { exitCode: Number(exitCode), stdout, stderr, container: ran };
  } catch (error) {
    // The engine's ExecError, recognised by shape: module mode's bundled SDK does not export the class. Only this
    // command's own crash is a result; an earlier step that failed (the install) is rethrown as what it is.
    const crash = error as Partial<ExecResult> & { cmd?: string[] };
    if (typeof crash.exitCode !== "number" || crash.cmd?.[2] !== RECORD_RESULT)
      throw error;
    return {
      exitCode: crash.exitCode,
      stdout: crash.stdout ?? "",
      stderr: crash.stderr ?? "",
      container,
    };
  }
}

/**
 * The container with a value no other exec shares: the engine caches an exec by its inputs, so a query of a remote
 * (tags, releases, advisories) or a push would otherwise replay the answer of an earlier run.
 */
export function uncached(container: Container): Container {
  return container.withEnvVariable("GANTRY_RUN_ID", randomUUID());
}

/** Reads a report file a tool may not have written (it crashed first). */
export async function readIfPresent(
  container: Container,
  path: string,
): Promise<string | undefined> {
  return (await container.exists(path))
    ? container.file(path).contents()
    : undefined;
}

/** The last lines of a tool's output, for a failure message. */
export function tail(result: ExecResult, lines = 8): string {
  const text = `${result.stdout}\n${result.stderr}`.trim();
  return `exit code ${result.exitCode}: ${text.split("\n").slice(-lines).join("\n")}`;
}
