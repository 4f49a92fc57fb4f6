import { copyFileSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { GANTRY_FUNCTIONS, TARGET_FUNCTIONS } from "./functions.js";

// The engine runs this same introspector over the module source to build the API; it ships inside @dagger.io/dagger.
const sdkRoot = dirname(
  dirname(createRequire(import.meta.url).resolve("@dagger.io/dagger")),
);
const moduleSource = fileURLToPath(new URL("../../src", import.meta.url));

interface IntrospectedArgument {
  name: string;
  description: string;
  type: { kind: string; name?: string };
  defaultPath?: string;
  defaultValue?: string;
  ignore?: string[];
  isOptional: boolean;
}
interface IntrospectedFunction {
  name: string;
  description: string;
  arguments: Record<string, IntrospectedArgument>;
  returnType: { kind: string; name?: string };
  // Registered with the engine but left out of the introspector's JSON form.
  cache?: string;
  isCheck: boolean;
}
interface IntrospectedModule {
  description: string;
  enums: Record<string, { values: Record<string, { value: string }> }>;
  objects: Record<
    string,
    { description: string; methods: Record<string, IntrospectedFunction> }
  >;
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory()
      ? typescriptFiles(path)
      : entry.endsWith(".ts")
        ? [path]
        : [];
  });
}

let gantry: IntrospectedModule["objects"][string];
let target: IntrospectedModule["objects"][string];
let introspected: IntrospectedModule;

beforeAll(async () => {
  const { scan } = (await import(
    pathToFileURL(join(sdkRoot, "src/module/introspector/index.js")).href
  )) as {
    scan: (
      files: string[],
      name: string,
      load: boolean,
    ) => Promise<IntrospectedModule>;
  };
  // The introspector recognises core types by the generated client's file name, as in a generated module.
  const client = join(
    mkdtempSync(join(tmpdir(), "gantry-introspect-")),
    "client.gen.ts",
  );
  copyFileSync(join(sdkRoot, "src/api/client.gen.d.ts"), client);
  const module = await scan(
    [...typescriptFiles(moduleSource), client],
    "gantry",
    false,
  );
  introspected = module;
  ({ Gantry: gantry, Target: target } = JSON.parse(
    JSON.stringify(module),
  ).objects);
}, 60_000);

describe("the Gantry module's API as the engine sees it", () => {
  it("exposes the pipeline functions, and the target's", () => {
    expect(Object.keys(gantry.methods).sort()).toEqual(GANTRY_FUNCTIONS);
    expect(gantry.description).toMatch(/whole delivery pipeline/);
    expect(gantry.methods.target.returnType).toEqual({
      kind: "OBJECT_KIND",
      name: "Target",
    });
    expect(Object.keys(target.methods).sort()).toEqual(TARGET_FUNCTIONS);
    expect(target.description).toMatch(/One environment on its Docker host/);
  });

  it("documents every function and argument", () => {
    for (const fn of [
      ...Object.values(gantry.methods),
      ...Object.values(target.methods),
    ]) {
      expect(fn.description, fn.name).not.toBe("");
      for (const argument of Object.values(fn.arguments)) {
        expect(argument.description, `${fn.name} --${argument.name}`).not.toBe(
          "",
        );
      }
    }
  });

  it("defaults --source to the context directory without dependencies or build output", () => {
    for (const fn of Object.values(gantry.methods)) {
      const source = fn.arguments.source;
      expect(source.type, fn.name).toEqual({
        kind: "OBJECT_KIND",
        name: "Directory",
      });
      expect(source.defaultPath).toBe("/");
      expect(source.ignore).toEqual(
        expect.arrayContaining(["**/node_modules", "**/dist"]),
      );
      // A committed .env must reach the secret scan; a gitignored one is left out by the repository's .gitignore.
      expect(source.ignore?.some((pattern) => pattern.includes(".env"))).toBe(
        false,
      );
      // Test and benchmark outputs would change the upload on every run and break caching.
      if (fn.name !== "release")
        expect(source.ignore).toEqual(
          expect.arrayContaining(["bench/results", ".test-results"]),
        );
      // release reads and extends the history; every other function leaves .git out.
      expect(source.ignore?.includes(".git"), fn.name).toBe(
        fn.name !== "release",
      );
    }
  });

  it("reaches the deploy target through a Docker socket or a secret DOCKER_HOST, named once for every function acting on it", () => {
    const { dockerSocket, dockerHost, env, appEnv } =
      gantry.methods.target.arguments;
    expect(dockerSocket.type).toEqual({ kind: "OBJECT_KIND", name: "Socket" });
    expect(dockerHost.type).toEqual({ kind: "OBJECT_KIND", name: "Secret" });
    // Either one (or neither, for restore-test --backup): the function says which is missing.
    expect([dockerSocket.isOptional, dockerHost.isOptional]).toEqual([
      true,
      true,
    ]);
    expect(env.type).toEqual({ kind: "STRING_KIND" });
    // The app's env (DATABASE_URL…) only ever arrives as a Secret.
    expect(appEnv.type).toEqual({ kind: "OBJECT_KIND", name: "Secret" });
    for (const fn of Object.values(target.methods))
      expect(
        Object.keys(fn.arguments).filter((name) =>
          /^(docker|env$|name$|appEnv$|source$)/.test(name),
        ),
        fn.name,
      ).toEqual([]);
    for (const name of ["deploy", "rollback", "destroy", "restore"])
      expect(target.methods[name].arguments.confirm.defaultValue, name).toBe(
        false,
      );
  });

  it("makes release a dry run unless told otherwise, with its token as a Secret", () => {
    const { release } = gantry.methods;
    expect(release.arguments.dryRun.defaultValue).toBe(true);
    expect(release.arguments.githubToken.type).toEqual({
      kind: "OBJECT_KIND",
      name: "Secret",
    });
  });

  it("prints a report from every check and returns objects from the builders", () => {
    for (const name of [
      "ci",
      "lint",
      "typecheck",
      "test",
      "build",
      "scan",
      "loadTest",
    ])
      expect(gantry.methods[name].returnType, name).toEqual({
        kind: "STRING_KIND",
      });
    expect(gantry.methods.coverage.returnType).toEqual({
      kind: "OBJECT_KIND",
      name: "Directory",
    });
    expect(gantry.methods.buildArtifacts.returnType).toEqual({
      kind: "OBJECT_KIND",
      name: "Directory",
    });
    expect(gantry.methods.dockerfile.returnType).toEqual({
      kind: "OBJECT_KIND",
      name: "File",
    });
    for (const name of ["image", "workspace"])
      expect(gantry.methods[name].returnType, name).toEqual({
        kind: "OBJECT_KIND",
        name: "Container",
      });
    expect(Object.keys(gantry.methods.image.arguments)).toEqual([
      "source",
      "version",
      "gitSha",
    ]);
  });

  it("types closed choices as enums, so Dagger lists and refuses values itself", () => {
    const { ci, loadTest } = gantry.methods;
    expect(ci.arguments.format.type).toEqual({
      kind: "ENUM_KIND",
      name: "ReportFormat",
    });
    expect(ci.arguments.format.defaultValue).toBe("text");
    expect(ci.arguments.skip.type).toEqual({
      kind: "LIST_KIND",
      typeDef: { kind: "ENUM_KIND", name: "CiStage" },
    });
    expect(loadTest.arguments.profile.type).toEqual({
      kind: "ENUM_KIND",
      name: "LoadProfile",
    });
    expect(loadTest.arguments.profile.defaultValue).toBe("smoke");
    const values = (name: string) =>
      Object.keys(introspected.enums[name].values);
    expect(values("ReportFormat")).toEqual(["text", "markdown"]);
    expect(values("CiStage")).toEqual([
      "lint",
      "typecheck",
      "test",
      "build",
      "scan",
      "load",
      "lighthouse",
    ]);
    expect(values("LoadProfile")).toEqual([
      "smoke",
      "load",
      "spike",
      "soak",
      "stress",
    ]);
  });

  it("replays checks for 10 minutes, measurements for a session, builders by default, side effects never; dagger check runs the stages", () => {
    const methods = introspected.objects.Gantry.methods;
    const cache = Object.fromEntries(
      Object.values(methods).map((fn) => [fn.name, fn.cache ?? "default"]),
    );
    expect(cache).toEqual({
      ci: "10m",
      lint: "10m",
      typecheck: "10m",
      test: "10m",
      build: "10m",
      scan: "10m",
      loadTest: "session",
      lighthouse: "session",
      coverage: "default",
      image: "default",
      workspace: "default",
      buildArtifacts: "default",
      dockerfile: "default",
      sizeBaseline: "default",
      target: "default",
      release: "never",
    });
    const targetCache = Object.fromEntries(
      Object.values(introspected.objects.Target.methods).map((fn) => [
        fn.name,
        fn.cache ?? "default",
      ]),
    );
    expect(targetCache).toEqual(
      Object.fromEntries(TARGET_FUNCTIONS.map((name) => [name, "never"])),
    );
    const checks = Object.values(methods)
      .filter((fn) => fn.isCheck)
      .map((fn) => fn.name);
    expect(checks.sort()).toEqual([
      "build",
      "lighthouse",
      "lint",
      "loadTest",
      "scan",
      "test",
      "typecheck",
    ]);
  });
});
