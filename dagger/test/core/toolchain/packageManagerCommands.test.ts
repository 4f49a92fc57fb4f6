import { describe, expect, it } from "vitest";
import {
  PACKAGE_MANAGER_FILES,
  parsePackageManagerField,
  yarnPathOf,
  type PackageManager,
} from "../../../src/core/toolchain/packageManager.js";
import { detect } from "./detectPackageManager.js";

// Every field of every flavor, with and without a lockfile: the commands the stages run are exactly these.

/** The package manager as data: its run and exec called with and without arguments. */
function commands(pm: PackageManager) {
  const { run, exec, ...fields } = pm;
  return {
    ...fields,
    run: [run("test"), run("test", ["--grep", "x"])],
    exec: [exec("tsc"), exec("tsc", ["-p", "."])],
  };
}

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
const COREPACK_ENV = {
  COREPACK_HOME: "/root/.cache/node/corepack",
  COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
};

describe("detectPackageManager, every field", () => {
  it("npm with a package-lock.json", () => {
    expect(
      commands(detect({ rootEntries: ["package.json", "package-lock.json"] })),
    ).toEqual({
      name: "npm",
      flavor: "npm",
      description: "npm (package-lock.json)",
      source: { kind: "image" },
      lockfile: "package-lock.json",
      manifests: [...SHARED_MANIFESTS, "package-lock.json"],
      program: ["npm"],
      install: ["npm", "ci", "--no-audit", "--no-fund"],
      pruneToProduction: [
        "npm",
        "prune",
        "--omit=dev",
        "--no-audit",
        "--no-fund",
      ],
      preparesOnInstall: true,
      plugAndPlay: false,
      cacheDirs: ["/root/.npm"],
      env: {},
      run: [
        ["npm", "run", "test"],
        ["npm", "run", "test", "--", "--grep", "x"],
      ],
      exec: [
        ["npx", "--no-install", "tsc"],
        ["npx", "--no-install", "tsc", "-p", "."],
      ],
      audit: ["npm", "audit", "--json"],
    });
  });

  it("npm with an npm-shrinkwrap.json, and without a lockfile", () => {
    const shrinkwrap = detect({
      rootEntries: ["package.json", "npm-shrinkwrap.json"],
    });
    expect(shrinkwrap.lockfile).toBe("npm-shrinkwrap.json");
    expect(shrinkwrap.description).toBe("npm (npm-shrinkwrap.json)");
    expect(shrinkwrap.install).toEqual([
      "npm",
      "ci",
      "--no-audit",
      "--no-fund",
    ]);
    const bare = detect({});
    expect(bare.manifests).toEqual(SHARED_MANIFESTS);
    expect(bare.install).toEqual(["npm", "install"]);
    expect(bare.pruneToProduction).toEqual([
      "npm",
      "prune",
      "--omit=dev",
      "--no-audit",
      "--no-fund",
    ]);
  });

  it("pnpm from the packageManager field with its lockfile", () => {
    expect(
      commands(
        detect({
          rootEntries: ["package.json", "pnpm-lock.yaml"],
          packageJson: { packageManager: "pnpm@10.12.1+sha512.abc" },
        }),
      ),
    ).toEqual({
      name: "pnpm",
      flavor: "pnpm",
      description: "pnpm 10.12.1 (packageManager field)",
      source: { kind: "corepack", verifySignatures: true },
      lockfile: "pnpm-lock.yaml",
      manifests: [...SHARED_MANIFESTS, "pnpm-lock.yaml"],
      program: ["pnpm"],
      install: ["pnpm", "install", "--frozen-lockfile"],
      pruneToProduction: ["pnpm", "prune", "--prod"],
      preparesOnInstall: true,
      plugAndPlay: false,
      cacheDirs: [
        "/root/.local/share/pnpm/store",
        "/root/.cache/node/corepack",
      ],
      env: COREPACK_ENV,
      run: [
        ["pnpm", "run", "test"],
        ["pnpm", "run", "test", "--grep", "x"],
      ],
      exec: [
        ["pnpm", "exec", "tsc"],
        ["pnpm", "exec", "tsc", "-p", "."],
      ],
      audit: ["pnpm", "audit", "--json"],
    });
  });

  it("pnpm from the config, without a lockfile", () => {
    const pnpm = detect({
      config: { name: "pnpm", verifySignatures: false },
    });
    expect(pnpm.description).toBe("pnpm (gantry config)");
    expect(pnpm.install).toEqual(["pnpm", "install"]);
    expect(pnpm.pruneToProduction).toEqual(["pnpm", "prune", "--prod"]);
    expect(pnpm.env).toEqual({ ...COREPACK_ENV, COREPACK_INTEGRITY_KEYS: "0" });
  });

  it("yarn classic with its lockfile", () => {
    expect(
      commands(
        detect({
          rootEntries: ["package.json", "yarn.lock"],
          files: { "yarn.lock": "# yarn lockfile v1\n\nleft-pad@^1.3.0:\n" },
        }),
      ),
    ).toEqual({
      name: "yarn",
      flavor: "yarn-classic",
      description: "yarn classic (yarn.lock)",
      source: { kind: "image" },
      lockfile: "yarn.lock",
      manifests: [...SHARED_MANIFESTS, "yarn.lock"],
      program: ["yarn"],
      install: ["yarn", "install", "--frozen-lockfile"],
      pruneToProduction: [
        "yarn",
        "install",
        "--production",
        "--frozen-lockfile",
      ],
      preparesOnInstall: true,
      plugAndPlay: false,
      cacheDirs: ["/usr/local/share/.cache/yarn"],
      env: {},
      run: [
        ["yarn", "run", "test"],
        ["yarn", "run", "test", "--grep", "x"],
      ],
      exec: [
        ["yarn", "run", "tsc"],
        ["yarn", "run", "tsc", "-p", "."],
      ],
      audit: ["yarn", "audit", "--json"],
    });
  });

  it("yarn classic from the packageManager field, without a lockfile", () => {
    const classic = detect({ packageJson: { packageManager: "yarn@1.22.22" } });
    expect(classic.flavor).toBe("yarn-classic");
    expect(classic.description).toBe(
      "yarn classic 1.22.22 (packageManager field)",
    );
    expect(classic.install).toEqual(["yarn", "install"]);
    expect(classic.pruneToProduction).toEqual([
      "yarn",
      "install",
      "--production",
    ]);
    expect(classic.run("lint", ["--fix"])).toEqual([
      "yarn",
      "run",
      "lint",
      "--fix",
    ]);
  });

  it("yarn berry through corepack with its lockfile", () => {
    expect(
      commands(
        detect({
          rootEntries: ["package.json", "yarn.lock"],
          files: { ".yarnrc.yml": "nodeLinker: node-modules\n" },
        }),
      ),
    ).toEqual({
      name: "yarn",
      flavor: "yarn-berry",
      description: "yarn berry (yarn.lock)",
      source: { kind: "corepack", verifySignatures: true },
      lockfile: "yarn.lock",
      manifests: [...SHARED_MANIFESTS, "yarn.lock"],
      program: ["yarn"],
      install: ["yarn", "install", "--immutable"],
      pruneToProduction: [
        "yarn",
        "workspaces",
        "focus",
        "--all",
        "--production",
      ],
      preparesOnInstall: false,
      plugAndPlay: false,
      cacheDirs: ["/root/.yarn/berry/cache", "/root/.cache/node/corepack"],
      env: { YARN_ENABLE_TELEMETRY: "0", ...COREPACK_ENV },
      run: [
        ["yarn", "run", "test"],
        ["yarn", "run", "test", "--grep", "x"],
      ],
      exec: [
        ["yarn", "exec", "tsc"],
        ["yarn", "exec", "tsc", "-p", "."],
      ],
      audit: ["yarn", "npm", "audit", "--json", "--recursive"],
    });
  });

  it("yarn berry from its committed release, without a lockfile", () => {
    const berry = detect({
      packageJson: { packageManager: "yarn@4.9.2" },
      files: { ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.9.2.cjs\n" },
      yarnPathExists: () => true,
    });
    expect(berry.description).toBe(
      "yarn berry, committed .yarn/releases/yarn-4.9.2.cjs, 4.9.2 (packageManager field)",
    );
    expect(berry.install).toEqual([
      "node",
      ".yarn/releases/yarn-4.9.2.cjs",
      "install",
    ]);
    expect(berry.env).toEqual({ YARN_ENABLE_TELEMETRY: "0" });
    expect(berry.audit).toEqual([
      "node",
      ".yarn/releases/yarn-4.9.2.cjs",
      "npm",
      "audit",
      "--json",
      "--recursive",
    ]);
  });

  it("reads no repository file beyond PACKAGE_MANAGER_FILES", () => {
    const read = new Set<string>();
    const files = new Proxy(
      {},
      {
        get: (_, key) => {
          read.add(String(key));
          return undefined;
        },
      },
    );
    detect({ rootEntries: ["package.json", "yarn.lock"], files });
    expect([...read].sort()).toEqual([...PACKAGE_MANAGER_FILES].sort());
  });

  // Hand-written lockfile: a classic lockfile that mentions "__metadata:" inside an entry is still classic.
  it("takes only a line-leading __metadata: as a berry lockfile", () => {
    const classic = detect({
      rootEntries: ["package.json", "yarn.lock"],
      files: {
        "yarn.lock": '# yarn lockfile v1\n\n"weird@npm:__metadata:1.0.0":\n',
      },
    });
    expect(classic.flavor).toBe("yarn-classic");
  });
});

describe("parsePackageManagerField, edges", () => {
  it("trims the value and anchors the name at its start", () => {
    expect(parsePackageManagerField("  pnpm@10.0.0 \n")).toEqual({
      name: "pnpm",
      version: "10.0.0",
    });
    // "xnpm" is not npm.
    expect(parsePackageManagerField("xnpm@10.0.0")).toBeUndefined();
  });
});

describe("yarnPathOf, edges (hand-written .yarnrc.yml lines)", () => {
  it("reads only a top-level key, with or without a space after the colon", () => {
    expect(yarnPathOf("yarnPath:.yarn/releases/yarn.cjs\n")).toBe(
      ".yarn/releases/yarn.cjs",
    );
    expect(
      yarnPathOf("packageExtensions:\n  yarnPath: .yarn/releases/nested.cjs\n"),
    ).toBeUndefined();
    expect(yarnPathOf("# yarnPath: .yarn/releases/old.cjs\n")).toBeUndefined();
  });

  it("drops only a leading ./", () => {
    expect(yarnPathOf("yarnPath: tools/./yarn.cjs\n")).toBe("tools/./yarn.cjs");
  });
});
