import { dag, type File } from "@dagger.io/dagger";
import { renderDockerfile } from "../core/dockerfile.js";
import type { Project } from "./workspace.js";

/** Root files that configure an install; the default Dockerfile copies those the repository has. */
const INSTALL_FILES = [
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  "pnpm-workspace.yaml",
];

/** Gantry's default Dockerfile for this repository; it needs a start script to know how the service starts. */
export function defaultDockerfile(project: Project): string {
  const scripts = project.manifest.scripts ?? {};
  const start = scripts.start;
  if (start === undefined) {
    throw new Error(
      'package.json has no "start" script: Gantry\'s default Dockerfile starts the service with it (e.g. "start": "node dist/server.js")',
    );
  }
  const { build, app } = project.config;
  return renderDockerfile({
    nodeImage: project.toolchain.nodeImage,
    packageManager: project.packageManager,
    installFiles: INSTALL_FILES.filter((file) =>
      project.rootEntries.includes(file),
    ),
    buildScript: scripts[build.script] === undefined ? null : build.script,
    startScript: start,
    port: app.port,
    healthPath: app.healthPath,
  });
}

/** The default Dockerfile as a file to export. */
export function defaultDockerfileFile(project: Project): File {
  return dag
    .directory()
    .withNewFile("Dockerfile", defaultDockerfile(project))
    .file("Dockerfile");
}
