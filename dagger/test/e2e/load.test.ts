import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { LoadProfile } from "../../src/core/config.js";
import { withConfig } from "./breakage.js";
import {
  describeWithEngine,
  hostRepository,
  rejection,
  THIS_REPOSITORY,
} from "./engine.js";
import { engineCase, gantry } from "./support/gantryFixture.js";

const LOAD_SERVICE = fileURLToPath(
  new URL("../fixtures/load/service", import.meta.url),
);
// Runs kept short: a few seconds each, a few requests per second.
const SHORT = [{ seconds: 4, rate: 5 }];

/** The fixture service, load-tested with one of its Artillery scenarios. */
const fixture = (scenario: string, loadTest: Record<string, unknown> = {}) =>
  hostRepository(LOAD_SERVICE).with(
    withConfig({
      loadTest: {
        tool: "artillery",
        script: `artillery/${scenario}.yml`,
        ...loadTest,
      },
    }),
  );

describeWithEngine("load-test with Artillery on a real engine", () => {
  engineCase(
    "passes smoke and load on this repository's service, with Postgres migrated first",
    async () => {
      const config = JSON.parse(
        readFileSync(`${THIS_REPOSITORY}/gantry.config.json`, "utf8"),
      );
      expect(config.loadTest.tool).toBe("artillery");
      const repository = hostRepository(THIS_REPOSITORY);
      const smoke = await gantry.loadTest(repository, LoadProfile.smoke);
      expect(smoke).toMatch(
        /^load \(smoke\): p95 +PASS +\d+(\.\d+)? ms +<= 500 ms/m,
      );
      expect(smoke).toMatch(/^load \(smoke\): p99 +PASS .*<= 1000 ms/m);
      expect(smoke).toMatch(/^load \(smoke\): errors +PASS +0% +<= 1%/m);
      expect(smoke).toMatch(
        /^load \(smoke\): throughput +PASS .* req\/s +>= 1 req\/s/m,
      );

      // The smoke stage's own cost, with the image already built (as in ci, where the build stage shares it).
      const started = Date.now();
      await gantry.loadTest(repository, LoadProfile.smoke);
      console.log(
        `load (smoke) stage, image built: ${(Date.now() - started) / 1000} s`,
      );

      const load = await gantry.loadTest(
        repository.with(
          withConfig({
            ...config,
            loadTest: {
              ...config.loadTest,
              profiles: {
                load: {
                  stages: [
                    { seconds: 4, rate: 1, rampTo: 5 },
                    { seconds: 4, rate: 5 },
                  ],
                  minThroughputRps: 2,
                },
              },
            },
          }),
        ),
        LoadProfile.load,
      );
      expect(load).toMatch(/^load \(load\): errors +PASS +0% /m);
      expect(load).toMatch(/^load \(load\): throughput +PASS .* >= 2 req\/s/m);
    },
  );

  engineCase(
    "fails p95 and p99 on a slow endpoint, and the error rate on one that answers 500s",
    async () => {
      const slow = await rejection(
        gantry.loadTest(
          fixture("slow", { profiles: { smoke: { stages: SHORT } } }),
        ),
      );
      expect(slow).toMatch(
        /^load \(smoke\): p95 +FAIL +1\d{3}(\.\d+)? ms +<= 500 ms/m,
      );
      expect(slow).toMatch(
        /^load \(smoke\): p99 +FAIL +1\d{3}(\.\d+)? ms +<= 1000 ms/m,
      );
      expect(slow).toMatch(/^load \(smoke\): errors +PASS +0% /m);

      const flaky = await rejection(
        gantry.loadTest(
          fixture("flaky", { profiles: { smoke: { stages: SHORT } } }),
        ),
      );
      expect(flaky).toMatch(/^load \(smoke\): errors +FAIL +25% +<= 1%/m);
      expect(flaky).toMatch(/5 of 20 requests failed .*: HTTP 500 \/flaky: 5/);
      expect(flaky).toMatch(/^load \(smoke\): p95 +PASS /m);
    },
  );

  engineCase(
    "finds the breaking point of a service that falls over under rising load",
    async () => {
      // The fixture serves 25 requests/s at most (one worker, 40 ms each).
      const stress = await gantry.loadTest(
        fixture("capacity", {
          profiles: {
            stress: {
              startRate: 10,
              stepRate: 10,
              maxRate: 80,
              stepSeconds: 4,
              breakAfter: 2,
            },
          },
        }),
        LoadProfile.stress,
      );
      console.log(stress);
      const point =
        /held (\d+) it\/s \([\d.]+ req\/s\), broke at (\d+) it\/s \(± 10\)/.exec(
          stress,
        );
      expect(point).not.toBeNull();
      const [held, broke] = [Number(point![1]), Number(point![2])];
      expect(broke).toBe(held + 10);
      expect(held).toBeGreaterThanOrEqual(10);
      expect(broke).toBeLessThanOrEqual(40);
      // Stopped after two broken steps in a row: no step beyond broke + 10 ran.
      expect(stress).toContain(`  ${broke + 10} it/s:`);
      expect(stress).not.toContain(`  ${broke + 20} it/s:`);
      expect(stress).toMatch(new RegExp(`  ${broke} it/s: .*: broke \\(`));
    },
  );
});
