import { splitPlainCommand } from "./toolchain/checks.js";
import type { PackageManager } from "./toolchain/packageManager.js";

/** What Gantry's default Dockerfile needs to know about a repository. */
export interface DockerfileInputs {
  nodeImage: string;
  packageManager: PackageManager;
  /** Root files that configure the install (.npmrc, .yarnrc.yml, pnpm-workspace.yaml…) present in the repository. */
  installFiles: string[];
  /** The build script's name when package.json has it. */
  buildScript: string | null;
  /** package.json's start script. */
  startScript: string;
  port: number;
  healthPath: string;
}

/**
 * Gantry's hardened Dockerfile for a service that has none: dependencies installed from the manifests first (an edit
 * does not reinstall), the build in its own stage, production dependencies only at runtime, files owned by root and
 * the process run as the image's unprivileged node user, a HEALTHCHECK on the health path, and the start command in
 * exec form so the app receives SIGTERM.
 */
export function renderDockerfile(inputs: DockerfileInputs): string {
  const { packageManager, port, healthPath } = inputs;
  const manifests = [
    "package.json",
    ...(packageManager.lockfile ? [packageManager.lockfile] : []),
    ...inputs.installFiles,
  ];
  const releaseDir =
    packageManager.source.kind === "committed"
      ? [releaseCopy(packageManager.source.path)]
      : [];
  const setup = [
    ...Object.entries(packageManager.env).map(
      ([name, value]) => `ENV ${name}=${value}`,
    ),
    ...(packageManager.source.kind === "corepack"
      ? ["RUN corepack enable"]
      : []),
    ...(packageManager.plugAndPlay
      ? [
          "# Plug'n'Play would need yarn's cache at run time: the image gets node_modules, from the same lockfile.",
          "ENV YARN_NODE_LINKER=node-modules",
        ]
      : []),
  ];
  const healthUrl = `'http://127.0.0.1:' + (process.env.PORT || ${port}) + '${healthPath}'`;
  return [
    "# Gantry's default Dockerfile: export it with `dagger call dockerfile export --path Dockerfile`, then own it;",
    "# a .dockerignore listing node_modules keeps local installs out of `docker build`.",
    `ARG NODE_IMAGE=${inputs.nodeImage}`,
    "",
    "# Dependencies from the manifests and lockfile only, so a source edit reuses this layer.",
    "FROM ${NODE_IMAGE} AS deps",
    "WORKDIR /app",
    ...setup,
    `COPY ${manifests.join(" ")} ./`,
    ...releaseDir,
    `RUN ${packageManager.install.join(" ")}`,
    "",
    "FROM deps AS build",
    "COPY . .",
    ...(inputs.buildScript
      ? [`RUN ${packageManager.run(inputs.buildScript).join(" ")}`]
      : []),
    "# The runtime stage takes node_modules from production-deps.",
    "RUN rm -rf node_modules",
    "",
    "# The install above without its development dependencies: nothing is downloaded twice.",
    "FROM deps AS production-deps",
    `RUN ${packageManager.pruneToProduction.join(" ")}`,
    "",
    "FROM ${NODE_IMAGE} AS runtime",
    'ARG APP_VERSION=""',
    'ARG GIT_SHA="unknown"',
    `ENV NODE_ENV=production APP_VERSION=\${APP_VERSION} GIT_SHA=\${GIT_SHA} PORT=${port}`,
    "WORKDIR /app",
    "COPY --from=build /app ./",
    "COPY --from=production-deps /app/node_modules ./node_modules",
    "# Files stay root-owned (read-only to the app); only the process runs unprivileged.",
    "USER node",
    `EXPOSE ${port}`,
    "HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\",
    `  CMD ["node", "-e", "fetch(${healthUrl}).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    `CMD ${JSON.stringify(startCommand(inputs))}`,
    "",
  ].join("\n");
}

// `node server.js` runs as PID 1 directly, whoever installed the dependencies. Any other start script goes through a
// package manager the runtime image has: the repository's own (npm, yarn classic, a committed yarn release), or npm
// when corepack provides it, since corepack's pnpm or yarn exists only in the install stages.
function startCommand(inputs: DockerfileInputs): string[] {
  const words = splitPlainCommand(inputs.startScript);
  if (words?.[0] === "node") return words;
  return inputs.packageManager.source.kind === "corepack"
    ? ["npm", "run", "start"]
    : inputs.packageManager.run("start");
}

// The committed release's directory; a release at the root is copied alone, since `COPY . ./.` would put the whole
// source into the install layer and reinstall on every edit.
function releaseCopy(path: string): string {
  const copied = path.split("/").slice(0, -1).join("/") || path;
  return `COPY ${copied} ./${copied}`;
}
