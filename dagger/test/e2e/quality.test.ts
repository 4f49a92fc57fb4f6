import { dag } from "@dagger.io/dagger";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { CiStage, ReportFormat } from "../../src/core/report.js";
import { withConfig } from "./breakage.js";
import { describeWithEngine, hostRepository, rejection } from "./engine.js";
import { engineCase, gantry, reportRow } from "./support/gantryFixture.js";
const FIXTURES = fileURLToPath(new URL("../fixtures/quality", import.meta.url));
// The size budget belongs to the build stage; every other stage is left out to keep this file fast.
const ONLY_BUILD = [
  CiStage.lint,
  CiStage.typecheck,
  CiStage.test,
  CiStage.scan,
  CiStage.load,
];

/** A git repository whose first commit is the lean bundle and whose second adds lodash to it. */
function bundleRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "gantry-size-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  cpSync(join(FIXTURES, "bundle"), dir, { recursive: true });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
  cpSync(join(FIXTURES, "bundle-change"), dir, { recursive: true });
  git("add", ".");
  git(
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@t",
    "commit",
    "-qm",
    "feat: lodash",
  );
  return dir;
}

describeWithEngine("size budget on a real engine", () => {
  engineCase(
    "fails a change that adds a large dependency against its base, and passes the base against its own baseline",
    async () => {
      const repository = bundleRepository();
      const change = hostRepository(repository);
      const message = await rejection(
        gantry.ci(
          change,
          ReportFormat.text,
          ONLY_BUILD,
          "main~1",
          undefined,
          dag.host().directory(repository),
        ),
      );
      expect(message).toContain("Gantry quality gates: FAILED");
      const build = message.match(/^size: build output +FAIL +(.*)$/m);
      expect(build, message).not.toBeNull();
      // gzip 0.1 kB → 25 kB or so: lodash is bundled whole.
      expect(build![1]).toMatch(
        /^gzip \d+ B → \d+\.\d kB \(\+\d{3,}\.\d%\); raw \d+ B → \d+\.\d kB \(\+\d{3,}\.\d%\) +<= \+20% vs base/,
      );
      expect(message).toMatch(
        /gzip grew \+\d+\.\d% \(\d+ B → \d+\.\d kB\), above the allowed \+20%/,
      );
      expect(message).toContain("largest files (gzip): app.js");
      // The image grows by the bundle only, far within the budget, and its layers are counted.
      expect(message).toMatch(
        /^size: image +PASS +compressed \d+\.\d MB → \d+\.\d MB \(\+0\.\d%\); layers (\d+) → \1 \(\+0\.0%\) +<= \+20% vs base/m,
      );
      expect(message).toMatch(/^image: non-root user +PASS/m);

      // The base's figures, exported once and read back: the base passes against itself.
      const base = hostRepository(join(FIXTURES, "bundle"));
      const baseline = await gantry.sizeBaseline(base);
      const report = await gantry.ci(
        base,
        ReportFormat.markdown,
        ONLY_BUILD,
        undefined,
        baseline,
      );
      expect(report).toMatch(
        /\| size: build output \| ✅ pass \| gzip (\d+) B → \1 B \(\+0\.0%\); raw (\d+) B → \2 B \(\+0\.0%\) \| <= \+20% vs base \|/,
      );
      expect(report).toMatch(/\| size: image \| ✅ pass \| compressed /);

      // Without a base the figures are reported and the gate says why it did not judge them.
      const unjudged = await gantry.ci(base, ReportFormat.text, ONLY_BUILD);
      expect(unjudged).toMatch(
        /^size: build output +SKIP +gzip \d+ B; raw \d+ B +-/m,
      );
      expect(unjudged).toContain(
        "no base to compare with: pass --base with a git ref",
      );
    },
  );

  engineCase(
    "refuses a --base the history does not have, naming the flag",
    async () => {
      const repository = bundleRepository();
      const message = await rejection(
        gantry.ci(
          hostRepository(repository),
          ReportFormat.text,
          ONLY_BUILD,
          "no-such-branch",
          undefined,
          dag.host().directory(repository),
        ),
      );
      expect(message).toContain(
        "--base no-such-branch: no such commit in --git-history",
      );
      expect(
        await rejection(
          gantry.ci(
            hostRepository(repository),
            ReportFormat.text,
            ONLY_BUILD,
            "main~1",
          ),
        ),
      ).toContain("--base main~1 needs the repository's git history");
    },
  );
});

const site = () => hostRepository(join(FIXTURES, "site"));

describeWithEngine("Lighthouse on a real engine", () => {
  engineCase(
    "audits the app started as a service: the lean page passes, the unlabeled form control fails accessibility",
    async () => {
      const app = site().with(
        withConfig({ lighthouse: { pages: ["/", "/form.html"] } }),
      );
      const message = await rejection(gantry.lighthouse(app));
      expect(message).toContain("Gantry quality gates: FAILED");
      expect(reportRow(message, "lighthouse: /")).toMatch(
        /^lighthouse: \/ +PASS +performance (9\d|100), accessibility (9\d|100), best-practices (9\d|100), seo (9\d|100) +each >= 90/,
      );
      // Its performance depends on how busy this machine is; its accessibility does not.
      expect(reportRow(message, "lighthouse: /form.html")).toMatch(
        /^lighthouse: \/form\.html +FAIL +performance \d+, accessibility [1-8]\d, /,
      );
      expect(message).toMatch(
        /^ {2}accessibility [1-8]\d, below 90; largest failing audits: .*\blabel \(Form elements do not have associated labels\)/m,
      );
      expect(message).toMatch(
        /select-name \(Select elements do not have associated label elements\.?\)/,
      );
    },
  );

  engineCase(
    "serves a static directory: a large render-blocking script fails performance",
    async () => {
      // 3 MB that does not compress: seconds of download on Lighthouse's simulated mobile network.
      const script = `window.payload = "${randomBytes(2_250_000).toString("base64")}";\n`;
      const slow = site()
        .withNewFile("public/big.js", script)
        .with(
          withConfig({
            lighthouse: { staticDir: "public", pages: ["/slow.html"] },
          }),
        );
      const message = await rejection(gantry.lighthouse(slow));
      expect(reportRow(message, "lighthouse: /slow.html")).toMatch(
        /^lighthouse: \/slow\.html +FAIL +performance [1-8]?\d, accessibility (9\d|100), /,
      );
      expect(message).toMatch(
        /^ {2}performance [1-8]?\d, below 90; largest failing audits: .*render-blocking/m,
      );
    },
  );
});
