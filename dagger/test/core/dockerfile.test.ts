import { describe, expect, it } from "vitest";
import { renderDockerfile } from "../../src/core/dockerfile.js";
import { detectPackageManager } from "../../src/core/toolchain/packageManager.js";

// Built inside each test, not while the file is collected: a mutant that makes this throw then fails tests
// (Stryker counts a file that fails to collect as no test; see test/MUTATION.md).
const npm = () =>
  detectPackageManager({
    rootEntries: ["package.json", "package-lock.json"],
    packageJson: {},
    files: {},
    config: { verifySignatures: true },
    yarnPathExists: () => false,
  });

function render(
  overrides: Partial<Parameters<typeof renderDockerfile>[0]> = {},
) {
  return renderDockerfile({
    nodeImage: "node:22.23.3-bookworm-slim",
    packageManager: npm(),
    installFiles: [".npmrc"],
    buildScript: "build",
    startScript: "node dist/server.js",
    port: 8080,
    healthPath: "/health",
    ...overrides,
  });
}

describe("renderDockerfile", () => {
  it("installs from the manifests first, builds, and ships production dependencies only", () => {
    const lines = render().split("\n");
    expect(lines).toContain("ARG NODE_IMAGE=node:22.23.3-bookworm-slim");
    const deps = lines.indexOf("FROM ${NODE_IMAGE} AS deps");
    expect(lines.slice(deps, deps + 4)).toEqual([
      "FROM ${NODE_IMAGE} AS deps",
      "WORKDIR /app",
      "COPY package.json package-lock.json .npmrc ./",
      "RUN npm ci --no-audit --no-fund",
    ]);
    expect(lines).toContain("RUN npm run build");
    const production = lines.indexOf("FROM deps AS production-deps");
    expect(lines[production + 1]).toBe(
      "RUN npm prune --omit=dev --no-audit --no-fund",
    );
    expect(lines).toContain(
      "COPY --from=production-deps /app/node_modules ./node_modules",
    );
  });

  it("runs as the unprivileged node user with a HEALTHCHECK on the health path and an exec-form start", () => {
    const text = render();
    const runtime = text.slice(text.indexOf("AS runtime"));
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toContain("EXPOSE 8080");
    expect(runtime).toContain("PORT=8080");
    expect(runtime).toMatch(
      /HEALTHCHECK .*\n {2}CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 8080\) \+ '\/health'\)/,
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      'CMD ["node","dist/server.js"]',
    );
  });

  it("starts through the package manager when the start script is not a plain node command", () => {
    expect(
      render({
        startScript: "npm run migrate && node dist/server.js",
        buildScript: null,
      })
        .trimEnd()
        .split("\n")
        .at(-1),
    ).toBe('CMD ["npm","run","start"]');
    expect(render({ buildScript: null })).not.toContain("run build");
  });

  it("uses the committed yarn release, or corepack with its settings", () => {
    const committed = detectPackageManager({
      rootEntries: ["package.json", "yarn.lock", ".yarnrc.yml"],
      packageJson: { packageManager: "yarn@4.18.1" },
      files: {
        ".yarnrc.yml":
          "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.18.1.cjs\n",
      },
      config: { verifySignatures: true },
      yarnPathExists: () => true,
    });
    const yarn = render({
      packageManager: committed,
      installFiles: [".yarnrc.yml"],
    });
    expect(yarn).toContain("COPY .yarn/releases ./.yarn/releases");
    expect(yarn).toContain(
      "RUN node .yarn/releases/yarn-4.18.1.cjs workspaces focus --all --production",
    );
    expect(yarn).not.toContain("corepack");
    const pnpm = detectPackageManager({
      rootEntries: ["package.json", "pnpm-lock.yaml"],
      packageJson: {},
      files: {},
      config: { verifySignatures: false },
      yarnPathExists: () => false,
    });
    const viaCorepack = render({ packageManager: pnpm, installFiles: [] });
    expect(viaCorepack).toContain("RUN corepack enable");
    expect(viaCorepack).toContain("ENV COREPACK_INTEGRITY_KEYS=0");
    expect(viaCorepack).toContain("RUN pnpm prune --prod");
  });
});

describe("renderDockerfile, the whole file", () => {
  it("renders every line for npm with a lockfile and a build script", () => {
    expect(render()).toBe(
      [
        "# Gantry's default Dockerfile: export it with `dagger call dockerfile export --path Dockerfile`, then own it;",
        "# a .dockerignore listing node_modules keeps local installs out of `docker build`.",
        "ARG NODE_IMAGE=node:22.23.3-bookworm-slim",
        "",
        "# Dependencies from the manifests and lockfile only, so a source edit reuses this layer.",
        "FROM ${NODE_IMAGE} AS deps",
        "WORKDIR /app",
        "COPY package.json package-lock.json .npmrc ./",
        "RUN npm ci --no-audit --no-fund",
        "",
        "FROM deps AS build",
        "COPY . .",
        "RUN npm run build",
        "# The runtime stage takes node_modules from production-deps.",
        "RUN rm -rf node_modules",
        "",
        "# The install above without its development dependencies: nothing is downloaded twice.",
        "FROM deps AS production-deps",
        "RUN npm prune --omit=dev --no-audit --no-fund",
        "",
        "FROM ${NODE_IMAGE} AS runtime",
        'ARG APP_VERSION=""',
        'ARG GIT_SHA="unknown"',
        "ENV NODE_ENV=production APP_VERSION=${APP_VERSION} GIT_SHA=${GIT_SHA} PORT=8080",
        "WORKDIR /app",
        "COPY --from=build /app ./",
        "COPY --from=production-deps /app/node_modules ./node_modules",
        "# Files stay root-owned (read-only to the app); only the process runs unprivileged.",
        "USER node",
        "EXPOSE 8080",
        "HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\",
        `  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
        'CMD ["node","dist/server.js"]',
        "",
      ].join("\n"),
    );
  });

  it("copies only package.json without a lockfile, and skips the build without a build script", () => {
    const bare = detectPackageManager({
      rootEntries: ["package.json"],
      packageJson: {},
      files: {},
      config: { verifySignatures: true },
      yarnPathExists: () => false,
    });
    const lines = render({
      packageManager: bare,
      installFiles: [],
      buildScript: null,
    }).split("\n");
    expect(lines.filter((line) => line.startsWith("COPY package"))).toEqual([
      "COPY package.json ./",
    ]);
    const build = lines.indexOf("FROM deps AS build");
    expect(lines.slice(build, build + 3)).toEqual([
      "FROM deps AS build",
      "COPY . .",
      "# The runtime stage takes node_modules from production-deps.",
    ]);
  });

  it("starts a corepack-managed repository without its package manager, which the runtime stage does not have", () => {
    const pnpm = detectPackageManager({
      rootEntries: ["package.json", "pnpm-lock.yaml"],
      packageJson: {},
      files: {},
      config: { verifySignatures: true },
      yarnPathExists: () => false,
    });
    const lastLine = (startScript: string) =>
      render({ packageManager: pnpm, startScript })
        .trimEnd()
        .split("\n")
        .at(-1);
    expect(lastLine("node dist/server.js")).toBe(
      'CMD ["node","dist/server.js"]',
    );
    expect(lastLine("node scripts/migrate.js && node dist/server.js")).toBe(
      'CMD ["npm","run","start"]',
    );
  });

  it("installs node_modules for the image under yarn's Plug'n'Play linker, whose .pnp.cjs would need yarn's cache", () => {
    const detectWith = (yarnrc: string) =>
      detectPackageManager({
        rootEntries: ["package.json", "yarn.lock", ".yarnrc.yml"],
        packageJson: { packageManager: "yarn@4.18.1" },
        files: { ".yarnrc.yml": yarnrc },
        config: { verifySignatures: true },
        yarnPathExists: () => false,
      });
    const lines = render({
      packageManager: detectWith("enableTelemetry: false\n"),
    }).split("\n");
    expect(lines.indexOf("ENV YARN_NODE_LINKER=node-modules")).toBeGreaterThan(
      lines.indexOf("FROM ${NODE_IMAGE} AS deps"),
    );
    expect(lines.indexOf("ENV YARN_NODE_LINKER=node-modules")).toBeLessThan(
      lines.findIndex((line) => line.startsWith("RUN yarn install")),
    );
    expect(
      render({ packageManager: detectWith("nodeLinker: node-modules\n") }),
    ).not.toContain("YARN_NODE_LINKER");
  });

  it("copies a committed yarn release at the repository root alone, not the whole source", () => {
    const rootRelease = detectPackageManager({
      rootEntries: ["package.json", "yarn.lock", ".yarnrc.yml"],
      packageJson: { packageManager: "yarn@4.18.1" },
      files: {
        ".yarnrc.yml": "nodeLinker: node-modules\nyarnPath: yarn-4.18.1.cjs\n",
      },
      config: { verifySignatures: true },
      yarnPathExists: () => true,
    });
    expect(render({ packageManager: rootRelease })).toContain(
      "\nCOPY yarn-4.18.1.cjs ./yarn-4.18.1.cjs\n",
    );
  });
});
