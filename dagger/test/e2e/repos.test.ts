import { dag, type Directory } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect } from "vitest";
import { withConfig } from "./breakage.js";
import { describeWithEngine, hostRepository, rejection } from "./engine.js";
import {
  engineCase,
  gantry,
  healthz,
  passingCi,
  reportRow,
} from "./support/gantryFixture.js";
// Small repositories written for these tests, one per toolchain shape (see fixtures/repos/README.md).
const fixture = (name: string) =>
  hostRepository(
    fileURLToPath(new URL(`../fixtures/repos/${name}`, import.meta.url)),
  );

const YARN_RELEASE = "4.18.1";

// The yarn berry fixture commits its release as real repositories do; the 3.8 MB file comes from npm here.
let yarnRelease = "";
beforeAll(() => {
  const dir = join(tmpdir(), `gantry-yarn-${YARN_RELEASE}`);
  yarnRelease = join(dir, "package/bin/yarn.js");
  if (existsSync(yarnRelease)) return;
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync(
    "npm",
    [
      "pack",
      `@yarnpkg/cli-dist@${YARN_RELEASE}`,
      "--pack-destination",
      dir,
      "--silent",
    ],
    { encoding: "utf8" },
  ).trim();
  execFileSync("tar", [
    "-xzf",
    join(dir, tarball),
    "-C",
    dir,
    "package/bin/yarn.js",
  ]);
});

const yarnBerry = (): Directory =>
  fixture("yarn-berry-ava-c8").withFile(
    `.yarn/releases/yarn-${YARN_RELEASE}.cjs`,
    dag.host().file(yarnRelease),
  );

/** The repository built with Gantry's default Dockerfile instead of its own, with the rest of `config`. */
const withDefaultDockerfile =
  (config: Record<string, unknown> = {}) =>
  (repository: Directory): Directory =>
    repository
      .withoutFile("Dockerfile")
      .with(withConfig({ ...config, build: { defaultDockerfile: true } }));

/**
 * The image from Gantry's default Dockerfile declares its HEALTHCHECK, ships the production dependency ms, working,
 * and no other package (every package.json under node_modules is read, pnpm's store included), and starts: its
 * service answers GET /healthz.
 */
async function expectDefaultImageServesWithOnlyMs(
  withDefault: Directory,
): Promise<void> {
  expect(await gantry.build(withDefault)).toMatch(/image: healthcheck +PASS/);
  const listAndUse = `
    const fs = require("fs");
    const names = fs
      .readdirSync("node_modules", { recursive: true })
      .filter((path) => /(^|\\/)package\\.json$/.test(path))
      .map((path) => JSON.parse(fs.readFileSync("node_modules/" + path, "utf8")).name);
    console.log([...new Set(names)].sort().join(" "), require("ms")("1m"));`;
  const image = await gantry.image(withDefault);
  expect(await image.withExec(["node", "-e", listAndUse]).stdout()).toBe(
    "ms 60000\n",
  );
  expect(await healthz(image.withExposedPort(3000).asService())).toBe(
    '200 {"status":"ok"}',
  );
}

describeWithEngine("repositories of every shape on a real engine", () => {
  engineCase(
    "pnpm + Biome + vitest with a Dockerfile: corepack's unverifiable signature is an explicit, reported opt-out",
    async () => {
      const repository = fixture("pnpm-biome-vitest");
      // The npm registry reachable here serves no signatures, as some private mirrors: without the opt-out the
      // install stops at corepack and every check says so.
      const refused = await rejection(gantry.lint(repository));
      expect(refused).toMatch(/No compatible signature found/);
      expect(refused).toMatch(
        /hint: corepack could not verify .*packageManager\.verifySignatures: false/,
      );
      const optedOut = repository.with(
        withConfig({ packageManager: { verifySignatures: false } }),
      );
      const report = await passingCi(optedOut);
      expect(reportRow(report, "toolchain")).toContain(
        "| ⚠️ warn | node 22.23.3, pnpm |",
      );
      expect(report).toContain(
        "corepack installs pnpm WITHOUT verifying its signature (packageManager.verifySignatures is false in gantry.config.json)",
      );
      expect(reportRow(report, "lint: biome")).toMatch(
        /✅ pass .*`pnpm exec biome lint \.`/,
      );
      expect(reportRow(report, "format: biome")).toMatch(
        /✅ pass .*`pnpm exec biome format \.`/,
      );
      expect(reportRow(report, "typecheck")).toMatch(
        /✅ pass .*`pnpm exec tsc --noEmit`/,
      );
      expect(reportRow(report, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed.*`pnpm exec vitest run`/,
      );
      expect(reportRow(report, "coverage: lines")).toContain("✅ pass");
      expect(reportRow(report, "image: non-root user")).toContain("✅ pass");

      const unformatted = optedOut.withNewFile(
        "src/messy.ts",
        "export const   messy = {a:1,\n b:2}\n",
      );
      const message = await rejection(gantry.lint(unformatted));
      expect(message).toMatch(/format: biome +FAIL/);
      expect(message).toContain("src/messy.ts format: not formatted");
      expect(message).toMatch(/lint: biome +PASS/);

      // Production dependencies pruned from the full install, pnpm's virtual store included.
      const withDefault = repository.with(
        withDefaultDockerfile({ packageManager: { verifySignatures: false } }),
      );
      await expectDefaultImageServesWithOnlyMs(withDefault);
    },
  );

  engineCase(
    "npm + ESLint + Prettier + Jest without a Dockerfile: the format check keeps the repository's own scope, and the default Dockerfile builds a healthy non-root image",
    async () => {
      const repository = fixture("npm-jest");
      const report = await passingCi(repository);
      expect(reportRow(report, "toolchain")).toContain(
        "| ✅ pass | node 22, npm |",
      );
      expect(reportRow(report, "lint: eslint")).toMatch(
        /✅ pass .*`npx --no-install eslint \.`/,
      );
      // config/legacy.json is unformatted, outside the repository's "prettier --check src test".
      expect(reportRow(report, "format: prettier")).toMatch(
        /✅ pass .*`npx --no-install prettier --check src test`/,
      );
      expect(reportRow(report, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed.*`npx --no-install jest`/,
      );
      expect(reportRow(report, "coverage: lines")).toContain("✅ pass");
      expect(reportRow(report, "image")).toContain("⏭️ skip");
      for (const gate of [
        "scan: secrets",
        "scan: filesystem",
        "scan: licenses",
      ])
        expect(reportRow(report, gate)).toContain("✅ pass");

      const failing = repository.withNewFile(
        "test/wrong.test.js",
        'const { slugify } = require("../src/slug.js");\n\ntest("expects the wrong slug", () => {\n  expect(slugify("A B")).toBe("wrong");\n});\n',
      );
      const message = await rejection(gantry.test(failing));
      expect(message).toMatch(/tests +FAIL +\d+ passed, 1 failed/);
      expect(message).toContain("test/wrong.test.js > expects the wrong slug");

      const withDefault = repository.with(withDefaultDockerfile());
      const dockerfile = await gantry.dockerfile(repository);
      expect(await dockerfile.contents()).toMatch(
        /\nUSER node\n[\s\S]*HEALTHCHECK/,
      );
      await expectDefaultImageServesWithOnlyMs(withDefault);
    },
  );

  engineCase(
    "npm + node:test + c8, no linter or formatter: Node from engines, those gates skipped with the reason, coverage from c8",
    async () => {
      const repository = fixture("npm-node-test-c8");
      const report = await passingCi(repository);
      expect(reportRow(report, "lint")).toContain("⏭️ skip");
      expect(reportRow(report, "format")).toContain("⏭️ skip");
      expect(report).toContain("no linter: the repository has no lint script");
      expect(reportRow(report, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed.*`npm run test`/,
      );
      expect(reportRow(report, "coverage: lines")).toContain("✅ pass");

      // A pin the repository adds moves every check to that Node line.
      const onNode24 = await gantry.workspace(
        repository.withNewFile(".nvmrc", "24\n"),
      );
      expect(await onNode24.withExec(["node", "--version"]).stdout()).toMatch(
        /^v24\./,
      );

      const broken = repository.withNewFile(
        "src/wrong.ts",
        'export const count: number = "three";\n',
      );
      const message = await rejection(gantry.typecheck(broken));
      expect(message).toContain(
        "src/wrong.ts:1:14 TS2322 Type 'string' is not assignable to type 'number'.",
      );
    },
  );

  engineCase(
    "yarn berry with its committed release + ava + c8, with node_modules and under Plug'n'Play: nothing downloaded for yarn, Node from .nvmrc",
    async () => {
      const report = await passingCi(yarnBerry());
      expect(reportRow(report, "toolchain")).toContain(
        "| ✅ pass | node 22.23.3, yarn |",
      );
      expect(reportRow(report, "lint: eslint")).toMatch(
        /✅ pass .*`node \.yarn\/releases\/yarn-4\.18\.1\.cjs exec eslint \.`/,
      );
      expect(reportRow(report, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed/,
      );
      expect(reportRow(report, "coverage: lines")).toContain("✅ pass");

      const lintError = yarnBerry().withNewFile(
        "src/unused.ts",
        "export function f(): number {\n  const unused = 1;\n  return 2;\n}\n",
      );
      const message = await rejection(gantry.lint(lintError));
      expect(message).toMatch(/lint: eslint +FAIL +1 errors/);
      expect(message).toContain("src/unused.ts:2:9 error");

      const withDefault = yarnBerry().with(withDefaultDockerfile());
      await expectDefaultImageServesWithOnlyMs(withDefault);

      // Plug'n'Play, yarn berry's default linker, installs no node_modules: every check runs as well, yarn itself lists
      // the licenses, and the default Dockerfile installs node_modules for the image from the same lockfile.
      const yarnrc = await yarnBerry().file(".yarnrc.yml").contents();
      const plugAndPlay = yarnBerry().withNewFile(
        ".yarnrc.yml",
        yarnrc.replace("nodeLinker: node-modules", "nodeLinker: pnp"),
      );
      const plugAndPlayReport = await passingCi(plugAndPlay);
      expect(reportRow(plugAndPlayReport, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed/,
      );
      expect(reportRow(plugAndPlayReport, "scan: licenses")).toContain(
        "| ✅ pass | 0 of 1 packages not allowed |",
      );
      const licenses = await rejection(
        gantry.scan(
          plugAndPlay.with(
            withConfig({ scan: { licenses: { allow: ["Apache-2.0"] } } }),
          ),
        ),
      );
      expect(licenses).toMatch(
        /scan: licenses +FAIL +1 of 1 packages not allowed/,
      );
      expect(licenses).toContain(
        "ms@2.1.3 is licensed MIT, not in the allow-list",
      );
      await expectDefaultImageServesWithOnlyMs(
        plugAndPlay.with(withDefaultDockerfile()),
      );
    },
  );

  engineCase(
    "yarn classic + mocha + nyc in plain JavaScript: no type check to run, coverage from nyc",
    async () => {
      const repository = fixture("yarn-classic-mocha-nyc");
      const report = await passingCi(repository);
      expect(reportRow(report, "toolchain")).toContain(
        "| ✅ pass | node 22, yarn |",
      );
      expect(reportRow(report, "typecheck")).toContain("⏭️ skip");
      expect(reportRow(report, "tests")).toMatch(
        /✅ pass \| [1-9]\d* passed, 0 failed.*`yarn run test`/,
      );
      expect(reportRow(report, "coverage: lines")).toContain("✅ pass");

      // A prepare script that needs the source (as a build does) runs once the source is there, as on a checkout.
      const manifest = JSON.parse(
        await repository.file("package.json").contents(),
      );
      manifest.scripts.prepare =
        "node -e \"require('fs').writeFileSync('prepared.txt', String(require('./src/cache.js').LruCache.name))\"";
      const prepared = await gantry.workspace(
        repository.withNewFile("package.json", JSON.stringify(manifest)),
      );
      expect(await prepared.file("prepared.txt").contents()).toBe("LruCache");

      const failing = repository.withNewFile(
        "test/wrong.test.js",
        'const assert = require("node:assert/strict");\n\nit("expects the impossible", () => {\n  assert.equal(1 + 1, 3);\n});\n',
      );
      const message = await rejection(gantry.test(failing));
      expect(message).toMatch(/tests +FAIL +\d+ passed, 1 failed/);
      expect(message).toContain("expects the impossible");

      const withDefault = repository.with(withDefaultDockerfile());
      await expectDefaultImageServesWithOnlyMs(withDefault);
    },
  );
});
