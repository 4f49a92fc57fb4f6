import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import {
  withConfig,
  withCrashingLinter,
  withFailingTest,
  withLintError,
  withTypeError,
  withUnformattedFile,
  withUntestedCode,
} from "./breakage.js";
import {
  describeWithEngine,
  E2E_TIMEOUT,
  inEngine,
  rejection,
} from "./engine.js";
import { engineCase, gantry, sampleApp } from "./support/gantryFixture.js";

describeWithEngine("lint, typecheck and test on a real engine", () => {
  engineCase(
    "pass on the clean sample app and return the coverage report",
    async () => {
      expect(await gantry.lint(sampleApp())).toMatch(
        /lint: eslint +PASS +0 errors, 0 warnings/,
      );
      expect(await gantry.typecheck(sampleApp())).toMatch(
        /typecheck +PASS +0 errors/,
      );
      expect(await gantry.test(sampleApp())).toMatch(
        /coverage: lines +PASS +100(\.0+)?% +>= 80%/,
      );
      const coverage = await gantry.coverage(sampleApp());
      expect(await coverage.entries()).toEqual(
        expect.arrayContaining(["index.html", "coverage-summary.json"]),
      );
      const summary = JSON.parse(
        await coverage.file("coverage-summary.json").contents(),
      );
      expect(summary.total.lines.pct).toBe(100);
    },
  );

  it(
    "report a crashed tool as not run, and run it again next time instead of replaying the crash",
    async () => {
      const crashedLint = () =>
        inEngine(() =>
          rejection(gantry.lint(sampleApp().with(withCrashingLinter))),
        );
      const first = await crashedLint();
      expect(first).toMatch(/lint: eslint +FAIL +did not run/);
      expect(first).toMatch(
        /ESLint did not run \(exit code 2: linter crashed at \d+/,
      );
      const second = await crashedLint();
      const crashTime = (message: string) =>
        /linter crashed at (\d+)/.exec(message)?.[1];
      expect(crashTime(second)).toBeDefined();
      expect(crashTime(second)).not.toBe(crashTime(first));
    },
    E2E_TIMEOUT,
  );

  engineCase(
    "fail lint on an ESLint error and an unformatted file, naming both",
    async () => {
      const message = await rejection(
        gantry.lint(sampleApp().with(withLintError).with(withUnformattedFile)),
      );
      expect(message).toContain("Gantry quality gates: FAILED");
      expect(message).toContain(
        "src/unused.ts:2:9 error 'unused' is assigned a value but never used.",
      );
      expect(message).toContain("src/messy.ts is not formatted");
    },
  );

  engineCase(
    "keep Prettier's verdicts between runs, yet check again a file edited at the same size or unformatted by a new option",
    async () => {
      const formatted = "export const a = [1, 2];\n";
      const messy = "export const  a = [1,2];\n";
      expect(messy).toHaveLength(formatted.length);
      // A new file in every run, so each one runs Prettier instead of replaying the engine's cached run.
      const withFile = (text: string) =>
        sampleApp()
          .withNewFile("src/same-size.ts", text)
          .withNewFile(`src/run-${randomUUID()}.ts`, "export {};\n");
      expect(await gantry.lint(withFile(formatted))).toMatch(
        /format: prettier +PASS/,
      );
      expect(await rejection(gantry.lint(withFile(messy)))).toContain(
        "src/same-size.ts is not formatted",
      );
      // Unchanged files, yet no longer formatted under the new option: a verdict kept from the run before would pass.
      expect(
        await rejection(
          gantry.lint(
            withFile(formatted).withNewFile(
              ".prettierrc.json",
              '{ "semi": false }\n',
            ),
          ),
        ),
      ).toContain("src/same-size.ts is not formatted");
    },
  );

  engineCase(
    "fail typecheck with the file, line and TypeScript code",
    async () => {
      const message = await rejection(
        gantry.typecheck(sampleApp().with(withTypeError)),
      );
      expect(message).toContain(
        "src/wrong.ts:1:14 TS2322 Type 'string' is not assignable to type 'number'.",
      );
    },
  );

  engineCase(
    "fail tests on a failing assertion and on coverage under the configured minimum; warn under Gantry's own",
    async () => {
      expect(
        await rejection(gantry.test(sampleApp().with(withFailingTest))),
      ).toContain(
        "test/wrong.test.ts > expects the wrong total: AssertionError: expected 3 to be 4",
      );
      const untested = sampleApp().with(withUntestedCode);
      expect(
        await rejection(
          gantry.test(untested.with(withConfig({ coverage: { lines: 80 } }))),
        ),
      ).toMatch(/coverage: lines is \d+(\.\d+)?%, below the required 80%/);
      // Without a minimum of its own, the repository is told, not failed.
      expect(await gantry.test(untested)).toMatch(
        /coverage: lines +WARN[\s\S]*80% is Gantry's advisory minimum/,
      );
    },
  );

  engineCase(
    "refuse an invalid config before running anything, listing every bad field",
    async () => {
      const misconfigured = sampleApp().with(
        withConfig({
          coverage: { lines: "high" },
          scan: { failOn: "severe" },
        }),
      );
      const message = await rejection(gantry.ci(misconfigured));
      expect(message).toContain("Invalid Gantry config in gantry.config.json");
      expect(message).toMatch(
        /coverage\.lines: Invalid input: expected number, received string/,
      );
      expect(message).toMatch(/scan\.failOn: Invalid option/);
    },
  );
});
