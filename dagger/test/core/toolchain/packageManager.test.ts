import { describe, expect, it } from "vitest";
import {
  parsePackageManagerField,
  yarnPathOf,
} from "../../../src/core/toolchain/packageManager.js";
import { detect } from "./detectPackageManager.js";

describe("detectPackageManager", () => {
  it("uses npm ci with a package-lock.json and npx that never installs", () => {
    const npm = detect({ rootEntries: ["package.json", "package-lock.json"] });
    expect(npm.name).toBe("npm");
    expect(npm.install).toEqual(["npm", "ci", "--no-audit", "--no-fund"]);
    expect(npm.manifests).toContain("package-lock.json");
    expect(npm.run("build", ["--watch"])).toEqual([
      "npm",
      "run",
      "build",
      "--",
      "--watch",
    ]);
    expect(npm.run("build")).toEqual(["npm", "run", "build"]);
    expect(npm.exec("eslint", ["."])).toEqual([
      "npx",
      "--no-install",
      "eslint",
      ".",
    ]);
    expect(npm.source).toEqual({ kind: "image" });
    expect(npm.env).toEqual({});
    expect(npm.preparesOnInstall).toBe(true);
  });

  it("falls back to npm install without a lockfile", () => {
    const npm = detect({});
    expect(npm.install).toEqual(["npm", "install"]);
    expect(npm.lockfile).toBeNull();
    expect(npm.description).toBe("npm (no lockfile)");
  });

  it("runs pnpm through corepack at the packageManager field's version", () => {
    const pnpm = detect({
      rootEntries: ["package.json", "pnpm-lock.yaml"],
      packageJson: { packageManager: "pnpm@10.12.1+sha512.abcdef" },
    });
    expect(pnpm.install).toEqual(["pnpm", "install", "--frozen-lockfile"]);
    expect(pnpm.exec("tsc")).toEqual(["pnpm", "exec", "tsc"]);
    expect(pnpm.source).toEqual({ kind: "corepack", verifySignatures: true });
    expect(pnpm.description).toBe("pnpm 10.12.1 (packageManager field)");
    expect(pnpm.env.COREPACK_ENABLE_DOWNLOAD_PROMPT).toBe("0");
    expect(pnpm.env).not.toHaveProperty("COREPACK_INTEGRITY_KEYS");
  });

  it("turns corepack's signature check off only when the config says so", () => {
    const pnpm = detect({
      rootEntries: ["package.json", "pnpm-lock.yaml"],
      config: { verifySignatures: false },
    });
    expect(pnpm.source).toEqual({ kind: "corepack", verifySignatures: false });
    expect(pnpm.env.COREPACK_INTEGRITY_KEYS).toBe("0");
  });

  it("runs the yarn release a repository commits, without corepack", () => {
    const yarn = detect({
      rootEntries: ["package.json", "yarn.lock", ".yarnrc.yml"],
      packageJson: { packageManager: "yarn@4.9.2" },
      files: {
        ".yarnrc.yml":
          'nodeLinker: node-modules\nyarnPath: ".yarn/releases/yarn-4.9.2.cjs"\n',
      },
      yarnPathExists: (path) => path === ".yarn/releases/yarn-4.9.2.cjs",
    });
    expect(yarn.source).toEqual({
      kind: "committed",
      path: ".yarn/releases/yarn-4.9.2.cjs",
    });
    expect(yarn.install).toEqual([
      "node",
      ".yarn/releases/yarn-4.9.2.cjs",
      "install",
      "--immutable",
    ]);
    expect(yarn.exec("ava")).toEqual([
      "node",
      ".yarn/releases/yarn-4.9.2.cjs",
      "exec",
      "ava",
    ]);
    expect(yarn.env).not.toHaveProperty("COREPACK_HOME");
    // Berry never runs the root package's prepare on install.
    expect(yarn.preparesOnInstall).toBe(false);
  });

  it("uses corepack for berry when the committed release is missing", () => {
    const yarn = detect({
      rootEntries: ["package.json", "yarn.lock"],
      files: { ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.1.0.cjs\n" },
    });
    expect(yarn.source.kind).toBe("corepack");
    expect(yarn.install).toEqual(["yarn", "install", "--immutable"]);
  });

  it("knows yarn berry's Plug'n'Play linker, its default, from .yarnrc.yml's nodeLinker", () => {
    const berryWith = (yarnrc: string) =>
      detect({
        rootEntries: ["package.json", "yarn.lock"],
        packageJson: { packageManager: "yarn@4.9.2" },
        files: { ".yarnrc.yml": yarnrc },
      }).plugAndPlay;
    expect(berryWith("")).toBe(true);
    expect(berryWith('nodeLinker: "pnp"\n')).toBe(true);
    expect(
      berryWith("enableTelemetry: false\nnodeLinker: node-modules\n"),
    ).toBe(false);
    expect(berryWith("nodeLinker: pnpm # symlinks\n")).toBe(false);
    expect(
      detect({
        rootEntries: ["package.json", "yarn.lock"],
        files: { "yarn.lock": "# yarn lockfile v1\n" },
      }).plugAndPlay,
    ).toBe(false);
    expect(
      detect({ rootEntries: ["package.json", "pnpm-lock.yaml"] }).plugAndPlay,
    ).toBe(false);
  });

  it("tells yarn classic from berry by the field, .yarnrc.yml or the lockfile", () => {
    const classic = detect({
      rootEntries: ["package.json", "yarn.lock"],
      files: { "yarn.lock": "# yarn lockfile v1\n\nleft-pad@^1.3.0:\n" },
    });
    expect(classic.install).toEqual(["yarn", "install", "--frozen-lockfile"]);
    expect(classic.source).toEqual({ kind: "image" });
    expect(classic.exec("mocha")).toEqual(["yarn", "run", "mocha"]);
    const berryLock = detect({
      rootEntries: ["package.json", "yarn.lock"],
      files: { "yarn.lock": "# generated\n\n__metadata:\n  version: 8\n" },
    });
    expect(berryLock.install).toEqual(["yarn", "install", "--immutable"]);
    const classicField = detect({
      rootEntries: ["package.json", "yarn.lock"],
      packageJson: { packageManager: "yarn@1.22.22" },
      files: { ".yarnrc.yml": "" },
    });
    expect(classicField.install).toEqual([
      "yarn",
      "install",
      "--frozen-lockfile",
    ]);
  });

  it("lets the config and the packageManager field win over a stray lockfile", () => {
    const field = detect({
      rootEntries: ["package.json", "package-lock.json"],
      packageJson: { packageManager: "pnpm@10.0.0" },
    });
    expect(field.name).toBe("pnpm");
    expect(field.lockfile).toBeNull();
    expect(field.install).toEqual(["pnpm", "install"]);
    const config = detect({
      rootEntries: ["package.json", "pnpm-lock.yaml", "package-lock.json"],
      config: { name: "npm", verifySignatures: true },
    });
    expect(config.name).toBe("npm");
    expect(config.lockfile).toBe("package-lock.json");
    expect(config.description).toBe("npm (gantry config)");
  });
});

describe("parsePackageManagerField", () => {
  it("reads name and version, dropping the hash", () => {
    expect(parsePackageManagerField("yarn@4.9.2+sha224.abc")).toEqual({
      name: "yarn",
      version: "4.9.2",
    });
    expect(parsePackageManagerField("bun@1.2.0")).toBeUndefined();
    expect(parsePackageManagerField(42)).toBeUndefined();
  });
});

describe("yarnPathOf", () => {
  it("reads quoted and bare paths", () => {
    expect(yarnPathOf("yarnPath: ./.yarn/releases/yarn-4.cjs\n")).toBe(
      ".yarn/releases/yarn-4.cjs",
    );
    expect(yarnPathOf("a: b\nyarnPath: '.yarn/r.cjs' # pinned\n")).toBe(
      ".yarn/r.cjs",
    );
    expect(yarnPathOf("nodeLinker: pnp\n")).toBeUndefined();
    expect(yarnPathOf(undefined)).toBeUndefined();
  });
});
