import { describe, expect, it } from "vitest";
import { detectPackageManager } from "../../src/core/packageManager.js";

describe("detectPackageManager", () => {
  it("uses npm ci with a package-lock.json", () => {
    const npm = detectPackageManager([
      "package.json",
      "package-lock.json",
      "src",
    ]);
    expect(npm.name).toBe("npm");
    expect(npm.install).toEqual(["npm", "ci"]);
    expect(npm.manifests).toContain("package-lock.json");
    expect(npm.run("build", ["--watch"])).toEqual([
      "npm",
      "run",
      "build",
      "--",
      "--watch",
    ]);
    expect(npm.exec("eslint", ["."])).toEqual([
      "npx",
      "--no-install",
      "eslint",
      ".",
    ]);
  });

  it("detects pnpm and yarn from their lockfiles", () => {
    const pnpm = detectPackageManager(["package.json", "pnpm-lock.yaml"]);
    expect(pnpm.install).toEqual(["pnpm", "install", "--frozen-lockfile"]);
    expect(pnpm.exec("tsc")).toEqual(["pnpm", "exec", "tsc"]);
    const yarn = detectPackageManager(["package.json", "yarn.lock"]);
    expect(yarn.install).toEqual(["yarn", "install", "--immutable"]);
    expect(yarn.cacheDir).toBe("/root/.yarn/berry/cache");
  });

  it("falls back to npm install without a lockfile", () => {
    const npm = detectPackageManager(["package.json"]);
    expect(npm.install).toEqual(["npm", "install"]);
    expect(npm.lockfile).toBeNull();
  });
});
