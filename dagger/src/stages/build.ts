import type { Container, Directory } from "@dagger.io/dagger";
import { skippedGate, type GateVerdict } from "../core/gates.js";
import { abbreviate } from "../core/report.js";
import { defaultDockerfile } from "./dockerfile.js";
import { withDependencies, type Project } from "./workspace.js";

// Where the default Dockerfile is laid into the build context; no repository path is touched.
const GENERATED_DOCKERFILE = ".gantry/Dockerfile";

/** Identity baked into the image for GET /version. */
export interface BuildInfo {
  version: string;
  gitSha: string;
}

/** Why a repository without its Dockerfile has no image gates, naming the config field. */
export function noDockerfile(project: Project): string {
  return `no ${project.config.build.dockerfile} in the repository, so there is no image to check (build.dockerfile in gantry.config.json names another path; build.defaultDockerfile: true builds with Gantry's, see \`dagger call dockerfile\`)`;
}

/** The service image from the repository's Dockerfile (or Gantry's default), on its Node image; throws when there is none. */
export function serviceImage(project: Project, info: BuildInfo): Container {
  if (!project.dockerfile) throw new Error(noDockerfile(project));
  const { config } = project;
  const gantry = project.dockerfile === "gantry";
  const context = gantry
    ? project.source.withNewFile(
        GENERATED_DOCKERFILE,
        defaultDockerfile(project),
      )
    : project.source;
  return context.dockerBuild({
    dockerfile: gantry ? GENERATED_DOCKERFILE : config.build.dockerfile,
    buildArgs: [
      { name: "NODE_IMAGE", value: project.toolchain.nodeImage },
      { name: "APP_VERSION", value: info.version },
      { name: "GIT_SHA", value: info.gitSha },
    ],
  });
}

/** The compiled output of the repository's build script. */
export async function buildArtifacts(project: Project): Promise<Directory> {
  const { build } = project.config;
  const workspace = await withDependencies(project);
  return workspace
    .withExec(project.packageManager.run(build.script))
    .directory(build.outputDir);
}

/**
 * The image every check looks at (build gates, image scan, load test), one build shared by all of them; null, for
 * those gates to skip, when the repository has no Dockerfile.
 */
export function checkedImage(project: Project): Container | null {
  return project.dockerfile
    ? serviceImage(project, { version: "dev", gitSha: "unknown" })
    : null;
}

/** The image builds, runs as a non-root user and declares a HEALTHCHECK; skipped without a Dockerfile. */
export async function imageGates(project: Project): Promise<GateVerdict[]> {
  const image = checkedImage(project);
  if (!image) return [skippedGate("image", noDockerfile(project))];
  const built = await image.sync();
  const user = (await built.user()).split(":")[0];
  // An image without HEALTHCHECK has a null healthcheck: its args come back null (or the query fails).
  const healthcheck =
    (await built
      .dockerHealthcheck()
      .args()
      .catch(() => null)) ?? [];
  const rootUser = user === "" || user === "root" || user === "0";
  return [
    {
      name: "image: non-root user",
      status: rootUser ? "fail" : "pass",
      figure: `user ${user || "root (unset)"}`,
      threshold: "not root",
      details: rootUser
        ? ["the image runs as root: add a USER instruction to the Dockerfile"]
        : [],
    },
    {
      name: "image: healthcheck",
      status: healthcheck.length ? "pass" : "fail",
      figure: healthcheck.length
        ? abbreviate(healthcheck.join(" "), 60)
        : "none",
      threshold: "declared",
      details: healthcheck.length
        ? []
        : ["the image has no HEALTHCHECK instruction"],
    },
  ];
}
