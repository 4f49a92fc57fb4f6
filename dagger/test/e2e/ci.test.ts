import { expect, it } from "vitest";
import { Gantry } from "../../src/index.js";
import {
  describeWithEngine,
  FAKE_SECRET_SOURCE,
  hostRepository,
  inEngine,
  rejection,
  SAMPLE_APP,
  THIS_REPOSITORY,
} from "./engine.js";

const gantry = new Gantry();
const TWENTY_MINUTES = 1_200_000;
// k6 cannot be built on this machine (see test/engine/README.md), so the e2e lane runs ci without its load stage.
const WITHOUT_LOAD = ["load"];

describeWithEngine("ci on a real engine", () => {
  it(
    "passes the sample app with one row per gate",
    () =>
      inEngine(async () => {
        const report = await gantry.ci(
          hostRepository(SAMPLE_APP),
          "markdown",
          WITHOUT_LOAD,
        );
        expect(report).toContain("## Gantry quality gates: passed");
        for (const gate of [
          "lint: eslint",
          "lint: prettier",
          "typecheck",
          "tests",
          "coverage: lines",
          "image: non-root user",
          "image: healthcheck",
          "scan: secrets",
          "scan: licenses",
        ]) {
          expect(report).toMatch(
            new RegExp(`\\| ${gate} \\| (✅ pass|⚠️ warn) \\|`),
          );
        }
        expect(report).toContain("| load (smoke) | ⏭️ skip |");
      }),
    TWENTY_MINUTES,
  );

  it(
    "runs every stage before failing, so one run shows every failure",
    () =>
      inEngine(async () => {
        const broken = hostRepository(SAMPLE_APP)
          .withNewFile(
            "src/unused.ts",
            "export function f(): number {\n  const unused = 1;\n  return 2;\n}\n",
          )
          .withNewFile(
            "test/wrong.test.ts",
            'import { expect, it } from "vitest";\nimport { totalCents } from "../src/prices.js";\n\nit("expects the wrong total", () => {\n  expect(totalCents([1, 2])).toBe(4);\n});\n',
          )
          .withNewFile("src/payments.ts", FAKE_SECRET_SOURCE);
        const message = await rejection(
          gantry.ci(broken, "text", WITHOUT_LOAD),
        );
        expect(message).toContain("Gantry quality gates: FAILED");
        expect(message).toMatch(/lint: eslint +FAIL/);
        expect(message).toMatch(/tests +FAIL +3 passed, 1 failed/);
        expect(message).toMatch(/scan: secrets +FAIL/);
        expect(message).toMatch(/typecheck +PASS/);
        expect(message).toMatch(/image: healthcheck +PASS/);
      }),
    TWENTY_MINUTES,
  );

  it(
    "passes on this repository, with its integration tests against a Postgres service",
    () =>
      inEngine(async () => {
        const report = await gantry.ci(
          hostRepository(THIS_REPOSITORY),
          "text",
          WITHOUT_LOAD,
        );
        expect(report).toContain("Gantry quality gates: passed");
        expect(report).toMatch(/tests +PASS +\d+ passed, 0 failed/);
      }),
    TWENTY_MINUTES,
  );
});
