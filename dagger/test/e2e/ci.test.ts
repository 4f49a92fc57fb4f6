import { expect } from "vitest";
import { ReportFormat } from "../../src/core/report.js";
import {
  withCommittedSecret,
  withFailingTest,
  withLintError,
} from "./breakage.js";
import {
  advisoryDatabases,
  describeWithEngine,
  hostRepository,
  rejection,
  THIS_REPOSITORY,
} from "./engine.js";
import {
  engineCase,
  gantry,
  passingCi,
  sampleApp,
  WITHOUT_LOAD,
} from "./support/gantryFixture.js";

describeWithEngine("ci on a real engine", () => {
  engineCase("passes the sample app with one row per gate", async () => {
    const report = await passingCi(sampleApp());
    expect(report).toContain(
      "| toolchain | ✅ pass | node 22, npm | detected |",
    );
    // Each gate names the command that reproduces it by hand.
    expect(report).toContain("| `npx --no-install eslint .` |");
    expect(report).toContain("| `npx --no-install prettier --check .` |");
    expect(report).toContain("| `npx --no-install vitest run` |");
    for (const gate of [
      "lint: eslint",
      "format: prettier",
      "typecheck",
      "tests",
      "coverage: lines",
      "image: non-root user",
      "image: healthcheck",
      "scan: secrets",
      "scan: image",
      "scan: filesystem",
      "scan: licenses",
    ]) {
      expect(report).toContain(`| ${gate} | ✅ pass |`);
    }
    // Only what needs a network this machine may lack warns: the advisory databases, each with its reason.
    const unreachable = (gate: string, reason: string) => [
      `| ${gate} | ⚠️ warn | did not run |`,
      `<details><summary>${gate}</summary>\n\n- ${reason}`,
    ];
    if (await advisoryDatabases.npmAudit())
      expect(report).toContain("| scan: dependency audit | ✅ pass |");
    else
      for (const text of unreachable(
        "scan: dependency audit",
        "npm audit could not query the advisory database: ",
      ))
        expect(report).toContain(text);
    const trivyDbReachable = await advisoryDatabases.trivyDb();
    for (const target of ["image", "filesystem"]) {
      for (const text of unreachable(
        `scan: ${target}: vulnerabilities`,
        "trivy could not load its vulnerability database: ",
      )) {
        if (trivyDbReachable) expect(report).not.toContain(text);
        else expect(report).toContain(text);
      }
    }
    expect(report).toContain("| load (smoke) | ⏭️ skip |");
  });

  engineCase(
    "without a Dockerfile, skips the image gates with the reason and still scans the repository",
    async () => {
      const noDockerfile = sampleApp().withoutFile("Dockerfile");
      // No stage skipped by flag: the load stage needs the image too, and says so.
      const report = await gantry.ci(noDockerfile, ReportFormat.text, []);
      expect(report).toMatch(/^Gantry quality gates: passed/);
      expect(report).toMatch(/^image +SKIP +skipped/m);
      expect(report).toMatch(/^scan: image +SKIP +skipped/m);
      expect(report).toMatch(/^load \(smoke\) +SKIP +skipped/m);
      expect(report).toContain(
        "no Dockerfile in the repository, so there is no image to check (build.dockerfile in gantry.config.json names another path; build.defaultDockerfile: true builds with Gantry's",
      );
      for (const gate of [
        "scan: secrets",
        "scan: filesystem",
        "scan: licenses",
        "tests",
      ])
        expect(report).toMatch(new RegExp(`^${gate} +PASS`, "m"));
      expect(await rejection(gantry.image(noDockerfile))).toContain(
        "no Dockerfile in the repository",
      );
    },
  );

  engineCase(
    "runs every stage before failing, so one run shows every failure",
    async () => {
      const broken = sampleApp()
        .with(withLintError)
        .with(withFailingTest)
        .with(withCommittedSecret);
      const message = await rejection(
        gantry.ci(broken, ReportFormat.text, WITHOUT_LOAD),
      );
      expect(message).toContain("Gantry quality gates: FAILED");
      expect(message).toMatch(/lint: eslint +FAIL/);
      expect(message).toMatch(/tests +FAIL +3 passed, 1 failed/);
      expect(message).toMatch(/scan: secrets +FAIL/);
      expect(message).toMatch(/typecheck +PASS/);
      expect(message).toMatch(/image: healthcheck +PASS/);
    },
  );

  engineCase(
    "passes on this repository, with its integration tests against a Postgres service",
    async () => {
      const report = await gantry.ci(
        hostRepository(THIS_REPOSITORY),
        ReportFormat.text,
        WITHOUT_LOAD,
      );
      expect(report).toContain("Gantry quality gates: passed");
      expect(report).toMatch(/tests +PASS +\d+ passed, 0 failed/);
      // Its production dependencies were read (the sample app has none).
      expect(report).toMatch(
        /scan: licenses +PASS +0 of [1-9]\d* packages not allowed/,
      );
    },
  );
});
