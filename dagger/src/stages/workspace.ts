import {
  dag,
  ReturnType,
  type Container,
  type Directory,
} from "@dagger.io/dagger";
import { parseConfig, type GantryConfig } from "../core/config.js";
import {
  detectPackageManager,
  type PackageManager,
} from "../core/packageManager.js";

/** Where the repository is mounted in every tool container. */
export const SRC = "/src";

/** Paths never sent to the engine when --source is the default context directory. */
export const SOURCE_IGNORE = [
  "**/node_modules",
  ".git",
  "**/dist",
  "**/coverage",
  "dagger/sdk",
  "test/engine/.state",
];

// Images without ca-certificates have no bundle; pointing Node at a missing file only adds a warning to every run.
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** A repository with its validated config and detected package manager. */
export interface Project {
  source: Directory;
  config: GantryConfig;
  packageManager: PackageManager;
}

/** Validates --source and its config before anything runs. */
export async function loadProject(source: Directory): Promise<Project> {
  const entries = await source.entries();
  if (!entries.includes("package.json")) {
    throw new Error(
      "--source has no package.json at its root: expected a Node.js/TypeScript repository",
    );
  }
  const read = (file: string) =>
    entries.includes(file) ? source.file(file).contents() : undefined;
  const config = parseConfig({
    configJson: await read("gantry.config.json"),
    packageJson: await read("package.json"),
  });
  return { source, config, packageManager: detectPackageManager(entries) };
}

/** The configured Node image, trusting the CA bundle the engine injects (corporate proxies, mirrors) when there is one. */
export async function nodeBase(project: Project): Promise<Container> {
  const base = dag
    .container()
    .from(project.config.images.node)
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

/** Node container with dependencies installed from the manifests alone, then the whole source laid on top. */
export async function withDependencies(project: Project): Promise<Container> {
  const { source, packageManager } = project;
  const base = await nodeBase(project);
  return base
    .withMountedCache(
      packageManager.cacheDir,
      dag.cacheVolume(`gantry-${packageManager.name}-cache`),
    )
    .with((container) =>
      packageManager.name === "npm"
        ? container
        : container.withExec(["corepack", "enable"]),
    )
    .withWorkdir(SRC)
    .withDirectory(SRC, source, {
      include: packageManager.manifests,
      exclude: ["**/node_modules"],
    })
    .withExec(packageManager.install)
    .withDirectory(SRC, source, { exclude: ["**/node_modules"] });
}

/** The outcome of a command whose failure is a result to report, not an error to throw. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  container: Container;
}

/** Runs `args` and returns its exit code and output whatever the exit code. */
export async function capture(
  container: Container,
  args: string[],
): Promise<ExecResult> {
  const ran = container.withExec(args, { expect: ReturnType.Any });
  const [exitCode, stdout, stderr] = await Promise.all([
    ran.exitCode(),
    ran.stdout(),
    ran.stderr(),
  ]);
  return { exitCode, stdout, stderr, container: ran };
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
