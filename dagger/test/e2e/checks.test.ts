import { expect, it } from "vitest";
import { Gantry } from "../../src/index.js";
import {
  describeWithEngine,
  hostRepository,
  inEngine,
  rejection,
  SAMPLE_APP,
} from "./engine.js";

const gantry = new Gantry();
const TEN_MINUTES = 600_000;

describeWithEngine("lint, typecheck and test on a real engine", () => {
  it(
    "pass on the clean sample app and return the coverage report",
    () =>
      inEngine(async () => {
        const sample = hostRepository(SAMPLE_APP);
        expect(await gantry.lint(sample)).toMatch(
          /lint: eslint +PASS +0 errors, 0 warnings/,
        );
        expect(await gantry.typecheck(sample)).toMatch(
          /typecheck +PASS +0 errors/,
        );
        const coverage = await gantry.test(sample);
        expect(await coverage.entries()).toEqual(
          expect.arrayContaining(["index.html", "coverage-summary.json"]),
        );
        const summary = JSON.parse(
          await coverage.file("coverage-summary.json").contents(),
        );
        expect(summary.total.lines.pct).toBe(100);
      }),
    TEN_MINUTES,
  );

  it(
    "fail lint on an ESLint error and an unformatted file, naming both",
    () =>
      inEngine(async () => {
        const broken = hostRepository(SAMPLE_APP)
          .withNewFile(
            "src/unused.ts",
            "export function f(): number {\n  const unused = 1;\n  return 2;\n}\n",
          )
          .withNewFile("src/messy.ts", "export const   messy = {a:1,\n b:2}\n");
        const message = await rejection(gantry.lint(broken));
        expect(message).toContain("Gantry quality gates: FAILED");
        expect(message).toContain(
          "src/unused.ts:2:9 error 'unused' is assigned a value but never used.",
        );
        expect(message).toContain("src/messy.ts is not formatted");
      }),
    TEN_MINUTES,
  );

  it(
    "fail typecheck with the file, line and TypeScript code",
    () =>
      inEngine(async () => {
        const broken = hostRepository(SAMPLE_APP).withNewFile(
          "src/wrong.ts",
          'export const count: number = "three";\n',
        );
        const message = await rejection(gantry.typecheck(broken));
        expect(message).toContain(
          "src/wrong.ts:1:14 TS2322 Type 'string' is not assignable to type 'number'.",
        );
      }),
    TEN_MINUTES,
  );

  it(
    "fail tests on a failing assertion and on coverage under the threshold",
    () =>
      inEngine(async () => {
        const failing = hostRepository(SAMPLE_APP).withNewFile(
          "test/wrong.test.ts",
          'import { expect, it } from "vitest";\nimport { totalCents } from "../src/prices.js";\n\nit("expects the wrong total", () => {\n  expect(totalCents([1, 2])).toBe(4);\n});\n',
        );
        expect(await rejection(gantry.test(failing))).toContain(
          "test/wrong.test.ts > expects the wrong total: AssertionError: expected 3 to be 4",
        );

        const untested = hostRepository(SAMPLE_APP).withNewFile(
          "src/untested.ts",
          "export function untested(value: number): number {\n  if (value > 10) {\n    return value * 2;\n  }\n  return value - 1;\n}\n",
        );
        expect(await rejection(gantry.test(untested))).toMatch(
          /coverage: lines is \d+(\.\d+)?%, below the required 80%/,
        );
      }),
    TEN_MINUTES,
  );

  it(
    "refuse an invalid config before running anything, listing every bad field",
    () =>
      inEngine(async () => {
        const misconfigured = hostRepository(SAMPLE_APP).withNewFile(
          "gantry.config.json",
          JSON.stringify({
            coverage: { lines: "high" },
            scan: { failOn: "severe" },
          }),
        );
        const message = await rejection(gantry.ci(misconfigured));
        expect(message).toContain(
          "Invalid Gantry config in gantry.config.json",
        );
        expect(message).toMatch(
          /coverage\.lines: Invalid input: expected number, received string/,
        );
        expect(message).toMatch(/scan\.failOn: Invalid option/);
      }),
    TEN_MINUTES,
  );
});
