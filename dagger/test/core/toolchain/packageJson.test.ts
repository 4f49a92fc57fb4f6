import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config.js";
import { parsePackageJson } from "../../../src/core/toolchain/packageJson.js";

describe("parsePackageJson", () => {
  it("types the fields Gantry reads and keeps every other field as it is", () => {
    const manifest = {
      name: "app",
      private: true,
      scripts: { test: "vitest run" },
      devDependencies: { vitest: "^3.0.0" },
      engines: { node: ">=22", npm: ">=10" },
      volta: { node: "22.1.0" },
      packageManager: "pnpm@10.12.1",
      prettier: { semi: false },
      gantry: { coverage: { lines: 90 } },
    };
    expect(parsePackageJson(JSON.stringify(manifest))).toEqual(manifest);
  });

  it("reads a field of a type it cannot use as absent, and a script that is not a command string as no script", () => {
    const manifest = parsePackageJson(
      JSON.stringify({
        scripts: { test: "node --test", lint: ["eslint", "."], build: null },
        dependencies: "lodash",
        engines: { node: 22 },
        volta: "22",
        packageManager: { name: "pnpm" },
      }),
    );
    expect(manifest.scripts).toEqual({ test: "node --test" });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.engines).toEqual({ node: undefined });
    expect(manifest.volta).toBeUndefined();
    expect(manifest.packageManager).toBeUndefined();
  });

  it("refuses text that is not JSON, and JSON that is not an object, naming the file", () => {
    expect(() => parsePackageJson("{ name: app }")).toThrow(
      /^--source has a package\.json that is not valid JSON \(.+\)$/,
    );
    expect(() => parsePackageJson("{ name: app }")).toThrow(
      expect.objectContaining({ cause: expect.any(SyntaxError) }),
    );
    for (const notAnObject of ["null", "[]", '"app"', "42"])
      expect(() => parsePackageJson(notAnObject)).toThrow(
        "--source has a package.json that is not a JSON object",
      );
  });

  it("gives the config parser its gantry field, once parsed, as loadProject does", () => {
    const parsed = (text: string) =>
      parseConfig({ packageJson: parsePackageJson(text) });
    expect(parsed('{"gantry":{"coverage":{"lines":90}}}').coverage.lines).toBe(
      90,
    );
    expect(parsed('{"name":"app"}')).toEqual(parseConfig({}));
    expect(() => parsed('{"gantry":{"app":{"port":0}}}')).toThrow(
      'Invalid Gantry config in package.json "gantry":\n  - app.port:',
    );
  });
});
