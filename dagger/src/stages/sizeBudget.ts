import {
  dag,
  type Container,
  type Directory,
  type File,
} from "@dagger.io/dagger";
import { posix } from "node:path";
import { failureMessage, type GateVerdict } from "../core/gates.js";
import { sizeGates, type SizeBase } from "../core/size/budget.js";
import {
  buildOutputSize,
  parseBaseline,
  parseFileSizes,
  type BuildOutputSize,
  type ImageSize,
  type Measured,
  type SizeFigures,
} from "../core/size/figures.js";
import { blobPath, imageSizeOf, indexEntry } from "../core/size/oci.js";
import { checkedImage, noDockerfile } from "./build.js";
import {
  capture,
  loadProject,
  SRC,
  withDependencies,
  type Project,
} from "./workspace.js";

/** What `--git-history` uploads by default: only the context directory's .git. */
export const GIT_HISTORY_ONLY = ["*", "!.git", "!.git/**"];

// Lists every file under argv[1] with its raw and gzip -9 size, as JSON; Node is in every image the build runs in.
const LIST_FILE_SIZES = `
const fs = require("node:fs"), path = require("node:path"), zlib = require("node:zlib");
const root = process.argv[1], files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.isFile()) {
      const bytes = fs.readFileSync(file);
      files.push({ path: path.relative(root, file), raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
    }
  }
})(root);
process.stdout.write(JSON.stringify(files));`;

// A git ref as git itself allows one, never an option.
const GIT_REF = /^[A-Za-z0-9_.@{}~^/-]+$/;

/** Where ci's size gates get their base from: a git ref of the repository's history, or an exported baseline file. */
export interface SizeBaseOptions {
  base?: string;
  gitHistory?: Directory;
  baseline?: File;
}

/** A base whose figures are measured when the size stage runs, after its ref or file was checked up front. */
export interface PendingBase {
  label: string;
  figures: () => Promise<SizeFigures>;
}

/** The build output (raw and gzip) and the service image (compressed size, layers) of a project. */
export async function measureSizes(project: Project): Promise<SizeFigures> {
  const [buildOutput, image] = await Promise.all([
    measureBuildOutput(project),
    measureImage(project),
  ]);
  return { buildOutput, image };
}

/** The size gates of `project` against `base`; a base that cannot be measured leaves the growth unjudged, with the reason. */
export async function sizeBudgetGates(
  project: Project,
  base: PendingBase | undefined,
): Promise<GateVerdict[]> {
  const [now, before] = await Promise.all([
    measureSizes(project),
    base ? measuredBase(base) : undefined,
  ]);
  return sizeGates(now, before, project.config.sizeBudget);
}

async function measuredBase(base: PendingBase): Promise<SizeBase> {
  try {
    return { label: base.label, figures: await base.figures() };
  } catch (error) {
    const missing = `it could not be measured: ${failureMessage(error)}`;
    return {
      label: base.label,
      figures: { buildOutput: { missing }, image: { missing } },
    };
  }
}

/** Checks --base/--baseline before anything runs (a clear error names the flag); undefined without either. */
export async function pendingBase(
  project: Project,
  options: SizeBaseOptions,
): Promise<PendingBase | undefined> {
  const { base, gitHistory, baseline } = options;
  if (base !== undefined && baseline)
    throw new Error(
      "--base and --baseline both given: compare with one base, a git ref or a baseline file",
    );
  if (baseline) {
    const figures = parseBaseline(await baseline.contents());
    return { label: "--baseline file", figures: async () => figures };
  }
  if (base === undefined) return undefined;
  const { label, tree } = await gitBaseTree(project, base, gitHistory);
  return {
    label,
    figures: async () => measureSizes(await loadProject(tree)),
  };
}

async function gitBaseTree(
  project: Project,
  ref: string,
  gitHistory: Directory | undefined,
): Promise<{ label: string; tree: Directory }> {
  if (!GIT_REF.test(ref) || ref.startsWith("-"))
    throw new Error(
      `--base must be a git ref such as origin/main, a tag or a commit, got "${ref}"`,
    );
  // Directories are listed with a trailing slash.
  const entries = (gitHistory ? await gitHistory.entries() : []).map((entry) =>
    entry.replace(/\/$/, ""),
  );
  const gitDir = entries.includes(".git")
    ? "/repo/.git"
    : entries.includes("HEAD") && entries.includes("objects")
      ? "/repo"
      : undefined;
  if (!gitHistory || !gitDir)
    throw new Error(
      `--base ${ref} needs the repository's git history: --git-history must be a clone (a directory holding .git) or a .git directory; it defaults to the context directory's .git`,
    );
  const git = dag
    .container()
    .from(project.config.images.git)
    .withMountedDirectory("/repo", gitHistory)
    .withEnvVariable("GIT_DIR", gitDir)
    .withEnvVariable("GIT_CONFIG_COUNT", "1")
    .withEnvVariable("GIT_CONFIG_KEY_0", "safe.directory")
    .withEnvVariable("GIT_CONFIG_VALUE_0", "*");
  const resolved = await capture(git, [
    "git",
    "rev-parse",
    "--verify",
    "--quiet",
    `${ref}^{commit}`,
  ]);
  if (resolved.exitCode !== 0)
    throw new Error(
      `--base ${ref}: no such commit in --git-history (a shallow clone lacks it: fetch it first, e.g. git fetch --depth=1 origin main)`,
    );
  const commit = resolved.stdout.trim();
  const tree = git
    .withExec([
      "sh",
      "-c",
      'mkdir -p /base && git archive "$1" | tar -x -C /base',
      "sh",
      commit,
    ])
    .directory("/base");
  return { label: `${ref} (${commit.slice(0, 7)})`, tree };
}

/** The workspace after the build script (build.script), or undefined when package.json has no such script. */
export async function builtWorkspace(
  project: Project,
): Promise<Container | undefined> {
  const { script } = project.config.build;
  if (project.manifest.scripts?.[script] === undefined) return undefined;
  return (await withDependencies(project)).withExec(
    project.packageManager.run(script),
  );
}

async function measureBuildOutput(
  project: Project,
): Promise<Measured<BuildOutputSize>> {
  const { build } = project.config;
  const built = await builtWorkspace(project);
  if (!built)
    return {
      missing: `no "${build.script}" script in package.json, so no build output to measure (build.script in gantry.config.json names another)`,
    };
  const outputDir = posix.join(SRC, build.outputDir);
  if (!(await built.exists(outputDir)))
    return {
      missing: `the "${build.script}" script wrote no ${build.outputDir} (build.outputDir in gantry.config.json names the directory it writes)`,
    };
  const listing = await built
    .withExec(["node", "-e", LIST_FILE_SIZES, outputDir])
    .stdout();
  return { value: buildOutputSize(parseFileSizes(listing)) };
}

async function measureImage(project: Project): Promise<Measured<ImageSize>> {
  const image = checkedImage(project);
  if (!image) return { missing: noDockerfile(project) };
  // The very tarball the image scan exports (one export, shared): layers as a registry stores them, gzip-compressed.
  const tarball = image.asTarball();
  const reader = dag
    .container()
    .from(project.toolchain.nodeImage)
    .withMountedFile("/image.tar", tarball);
  const read = (path: string) =>
    reader.withExec(["tar", "-xOf", "/image.tar", path]).stdout();
  let entry = indexEntry(await read("index.json"));
  while (entry.isIndex) entry = indexEntry(await read(blobPath(entry.digest)));
  return { value: imageSizeOf(await read(blobPath(entry.digest))) };
}
