import type { Container, Directory } from "@dagger.io/dagger";
import type { GateVerdict } from "../core/gates.js";
import { abbreviate } from "../core/report.js";
import { withDependencies, type Project } from "./workspace.js";

/** Identity baked into the image for GET /version. */
export interface BuildInfo {
  version: string;
  gitSha: string;
}

/** The service image from the repository's Dockerfile, on the configured Node image. */
export function serviceImage(project: Project, info: BuildInfo): Container {
  const { config, source } = project;
  return source.dockerBuild({
    dockerfile: config.build.dockerfile,
    buildArgs: [
      { name: "NODE_IMAGE", value: config.images.node },
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

/** The image builds, runs as a non-root user and declares a HEALTHCHECK. */
export async function imageGates(image: Container): Promise<GateVerdict[]> {
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
