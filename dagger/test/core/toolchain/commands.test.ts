import { describe, expect, it } from "vitest";
import {
  checkCommand,
  shellJoin,
} from "../../../src/core/toolchain/commands.js";
import { detect } from "./detectPackageManager.js";

const npm = detect({ rootEntries: ["package.json", "package-lock.json"] });
const berry = detect({
  rootEntries: ["package.json", "yarn.lock", ".yarnrc.yml"],
  files: { ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.18.1.cjs\n" },
  yarnPathExists: () => true,
});

describe("checkCommand", () => {
  it("adds Gantry's report flags to what runs, not to what the report shows", () => {
    const command = checkCommand(
      npm,
      { kind: "tool", tool: "eslint", args: ["src"], env: {}, origin: "x" },
      ["--format", "json"],
    );
    expect(command.args).toEqual([
      "npx",
      "--no-install",
      "eslint",
      "src",
      "--format",
      "json",
    ]);
    expect(command.display).toBe("npx --no-install eslint src");
  });

  it("runs node itself, and shows the script's variables quoted for a shell", () => {
    const command = checkCommand(npm, {
      kind: "tool",
      tool: "node",
      args: ["--test", "test/*.ts"],
      env: { NODE_OPTIONS: "--max-old-space-size=4096 --no-warnings" },
      origin: "x",
    });
    expect(command.args).toEqual(["node", "--test", "test/*.ts"]);
    expect(command.env).toEqual({
      NODE_OPTIONS: "--max-old-space-size=4096 --no-warnings",
    });
    expect(command.display).toBe(
      "NODE_OPTIONS='--max-old-space-size=4096 --no-warnings' node --test 'test/*.ts'",
    );
  });

  it("runs a script through the package manager", () => {
    expect(
      checkCommand(berry, { kind: "script", script: "test", origin: "x" }),
    ).toEqual({
      args: ["node", ".yarn/releases/yarn-4.18.1.cjs", "run", "test"],
      env: {},
      display: "node .yarn/releases/yarn-4.18.1.cjs run test",
    });
  });

  it("runs the script's pre-hook first where the package manager would", () => {
    const plan = {
      kind: "tool" as const,
      tool: "vitest" as const,
      args: ["run"],
      env: {},
      before: "pretest",
      origin: "x",
    };
    const withHook = checkCommand(npm, plan, ["--reporter=json"]);
    expect(withHook.args).toEqual([
      "sh",
      "-c",
      'npm run pretest && exec "$@"',
      "sh",
      "npx",
      "--no-install",
      "vitest",
      "run",
      "--reporter=json",
    ]);
    expect(withHook.display).toBe(
      "npm run pretest && npx --no-install vitest run",
    );
    // yarn berry runs no pre/post hooks.
    expect(checkCommand(berry, plan).args[0]).toBe("node");
  });
});

describe("shellJoin", () => {
  it("quotes only what needs it, single quotes included", () => {
    expect(shellJoin(["eslint", "src/a.ts", "it's here", "a b"])).toBe(
      `eslint src/a.ts 'it'\\''s here' 'a b'`,
    );
  });
});
