import { describe, expect, it } from "vitest";
import { renderDockerfile } from "../../src/core/dockerfile.js";
import { detectPackageManager } from "../../src/core/toolchain/packageManager.js";

const npm = detectPackageManager({
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
    packageManager: npm,
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
    expect(lines).toContain("RUN npm ci --omit=dev --no-audit --no-fund");
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
      files: { ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.18.1.cjs\n" },
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
    expect(viaCorepack).toContain("RUN pnpm install --prod --frozen-lockfile");
  });
});
