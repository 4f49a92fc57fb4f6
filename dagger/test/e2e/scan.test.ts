import { expect } from "vitest";
import {
  withCommittedSecret,
  withConfig,
  withEnvFile,
  withIgnoredEnvFile,
} from "./breakage.js";
import {
  describeWithEngine,
  expectAuditOutcome,
  hostRepository,
  rejection,
  THIS_REPOSITORY,
} from "./engine.js";
import { engineCase, gantry, sampleApp } from "./support/gantryFixture.js";

describeWithEngine("scan on a real engine", () => {
  engineCase(
    "passes the sample app, warning where an advisory database is unreachable",
    async () => {
      const report = await gantry.scan(sampleApp());
      expect(report).toMatch(/scan: secrets +PASS +0 findings/);
      expect(report).toMatch(/scan: image +PASS/);
      expect(report).toMatch(/scan: filesystem +PASS/);
      expect(report).toMatch(
        /scan: licenses +PASS +0 of \d+ packages not allowed/,
      );
      await expectAuditOutcome(report);
    },
  );

  engineCase(
    "fails on a production dependency whose license is not allowed, naming the package and its license",
    async () => {
      // This repository's own dependencies: fastify is MIT, prom-client Apache-2.0.
      const apacheOnly = hostRepository(THIS_REPOSITORY).with(
        withConfig({ scan: { licenses: { allow: ["Apache-2.0"] } } }),
      );
      const message = await rejection(gantry.scan(apacheOnly));
      expect(message).toMatch(
        /scan: licenses +FAIL +[1-9]\d* of [1-9]\d* packages not allowed/,
      );
      expect(message).toMatch(
        /fastify@\d+\.\d+\.\d+ is licensed MIT, not in the allow-list/,
      );
      expect(message).not.toContain("prom-client@");
      expect(message).toMatch(/scan: secrets +PASS/);
    },
  );

  engineCase(
    "fails on a committed secret, naming the file and line",
    async () => {
      const leaky = sampleApp().with(withCommittedSecret);
      const message = await rejection(gantry.scan(leaky));
      expect(message).toMatch(/scan: secrets +FAIL +1 critical/);
      expect(message).toMatch(
        /\[critical\] gitleaks src\/payments\.ts:[\w-]+:1 at src\/payments\.ts:1/,
      );
    },
  );

  engineCase(
    "leaves out a .env the repository's .gitignore leaves out, and catches one it does not",
    async () => {
      const report = await gantry.scan(sampleApp().with(withIgnoredEnvFile));
      expect(report).toMatch(/scan: secrets +PASS +0 findings/);
      expect(report).toMatch(/scan: filesystem +PASS/);
      const message = await rejection(
        gantry.scan(sampleApp().with(withEnvFile)),
      );
      expect(message).toMatch(
        /\[critical\] gitleaks \.env:[\w-]+:1 at \.env:1/,
      );
    },
  );

  engineCase(
    "accepts that secret once its gitleaks fingerprint and trivy rule are ignored with a reason",
    async () => {
      const leaky = sampleApp().with(withCommittedSecret);
      const first = await rejection(gantry.scan(leaky));
      const fingerprint = /gitleaks (src\/payments\.ts:[\w-]+:1)/.exec(
        first,
      )?.[1];
      expect(fingerprint).toBeDefined();
      const ignore = (rules: string[]) =>
        leaky.with(
          withConfig({
            scan: {
              ignore: rules.map((id) => ({
                id,
                reason: "test key from the provider docs",
              })),
            },
          }),
        );

      // The key is compiled into the image too, where trivy's secret scanner still catches it.
      const sourceOnly = await rejection(gantry.scan(ignore([fingerprint!])));
      expect(sourceOnly).toMatch(
        /scan: secrets +PASS +0 findings \(1 ignored\)/,
      );
      expect(sourceOnly).toContain(
        "[critical] trivy stripe-secret-token at /app/dist/payments.js:1: Stripe Secret Key",
      );

      const report = await gantry.scan(
        ignore([fingerprint!, "stripe-secret-token"]),
      );
      expect(report).toMatch(/scan: image +PASS +0 findings \(1 ignored\)/);
    },
  );
});
