import { describe, expect, it } from "vitest";
import { bumpManifestVersion } from "../../../src/core/release/manifest.js";

describe("bumpManifestVersion", () => {
  it("sets the version of package.json, keeping key order, indentation and the final newline", () => {
    const packageJson =
      '{\n    "name": "app",\n    "version": "1.0.0",\n    "private": true\n}\n';
    expect(bumpManifestVersion(packageJson, "1.1.0")).toBe(
      '{\n    "name": "app",\n    "version": "1.1.0",\n    "private": true\n}\n',
    );
  });

  it("bumps the root package of package-lock.json as npm version does, not the dependencies", () => {
    const lock = JSON.stringify(
      {
        name: "app",
        version: "1.0.0",
        lockfileVersion: 3,
        packages: {
          "": { name: "app", version: "1.0.0" },
          "node_modules/x": { version: "1.0.0" },
        },
      },
      null,
      2,
    );
    const bumped = JSON.parse(bumpManifestVersion(lock, "2.0.0-rc.1"));
    expect(bumped.version).toBe("2.0.0-rc.1");
    expect(bumped.packages[""].version).toBe("2.0.0-rc.1");
    expect(bumped.packages["node_modules/x"].version).toBe("1.0.0");
  });

  // Hand-written: compact manifests, the second with a nested object broken over lines.
  it.each([
    ['{"name": "app"}', '{\n  "name": "app",\n  "version": "0.1.0"\n}\n'],
    [
      '{"name": "app", "scripts": {\n    "test": "vitest"}}',
      '{\n  "name": "app",\n  "scripts": {\n    "test": "vitest"\n  },\n  "version": "0.1.0"\n}\n',
    ],
  ])(
    "indents with npm's two spaces when the first line does not show the indentation: %j",
    (manifest, expected) => {
      expect(bumpManifestVersion(manifest, "0.1.0")).toBe(expected);
    },
  );
});
