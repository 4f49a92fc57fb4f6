import { dag } from "@dagger.io/dagger";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Gantry } from "../../src/index.js";
import { describeWithEngine, inEngine, rejection } from "./engine.js";
import {
  dockerSocket,
  E2E_ENV,
  E2E_IMAGE,
  E2E_PREVIEW,
  pollWhile,
  removeE2eResources,
  sampleApp,
  servedVersion,
  startWebhookReceiver,
  type Variant,
} from "./support/deployFixture.js";

const gantry = new Gantry();
const TEN_MINUTES = 600_000;

function deployVariant(
  variant: Variant,
  canaryPercent = 0,
  webhookUrl?: string,
) {
  return gantry.deploy(
    dockerSocket(),
    E2E_ENV,
    E2E_IMAGE,
    sampleApp(variant),
    variant.version,
    "e2e",
    undefined,
    false,
    canaryPercent,
    undefined,
    undefined,
    webhookUrl === undefined
      ? undefined
      : dag.setSecret("deploy-e2e-webhook", webhookUrl),
  );
}

/** Runs `body`, logging how long it took (the report's measured numbers). */
async function timed<T>(label: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await body();
  } finally {
    console.log(
      `[deploy e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

describeWithEngine("deploy on a real engine and the host's Docker", () => {
  beforeAll(removeE2eResources);
  afterAll(removeE2eResources);

  it(
    "deploys a first version, then switches to the next with no failed request",
    () =>
      inEngine(async () => {
        const first = await timed("first deploy", () =>
          deployVariant({ version: "1.0.0" }),
        );
        console.log(first);
        expect(first).toContain("first version on this target");
        expect(await servedVersion()).toBe("1.0.0");

        const switching = timed("blue-green deploy", () =>
          deployVariant({ version: "2.0.0" }),
        );
        const traffic = await pollWhile(switching);
        const report = await switching;
        console.log(report);
        console.log(
          `[deploy e2e] client during the switch: ${traffic.requests} requests, ${traffic.failures.length} failed, versions ${[...traffic.versions].join(", ")}`,
        );
        expect(traffic.failures).toEqual([]);
        expect(traffic.versions).toEqual(new Set(["1.0.0", "2.0.0"]));
        expect(report).toContain("1.0.0 (blue) removed");
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back automatically when the new version's health check fails",
    () =>
      inEngine(async () => {
        const message = await timed("failed health check", () =>
          rejection(deployVariant({ version: "3.0.0", healthStatus: 503 })),
        );
        console.log(message);
        expect(message).toMatch(/gantry-e2e-blue is unhealthy/);
        expect(message).toContain("nothing was switched");
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "switches nothing when the migrations fail, and says so on the webhook",
    () =>
      inEngine(async () => {
        const webhook = await startWebhookReceiver();
        try {
          const message = await rejection(
            deployVariant(
              {
                version: "4.0.0",
                migrate: ["node", "-e", "process.exit(3)"],
              },
              0,
              webhook.url,
            ),
          );
          console.log(message);
          expect(message).toMatch(
            /migrations \(node -e process.exit\(3\)\) failed \(exit code 3/,
          );
          expect(message).toContain("nothing was switched");
          expect(message).toContain("webhook: notified");
          expect(webhook.received).toEqual([
            {
              text: expect.stringContaining("deploy of 4.0.0 to e2e failed"),
              content: expect.stringContaining("nothing was switched"),
            },
          ]);
          expect(await servedVersion()).toBe("2.0.0");
        } finally {
          await webhook.close();
        }
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back when the error rate breaches the threshold in the watch window",
    () =>
      inEngine(async () => {
        const message = await timed("error-rate rollback", () =>
          rejection(deployVariant({ version: "5.0.0", failEvery: 3 })),
        );
        console.log(message);
        expect(message).toMatch(
          /watch window: error rate \d+\.\d% .* above 5\.0%/,
        );
        expect(message).toMatch(
          /traffic back on 2\.0\.0 \(green\) in \d+\.\d s/,
        );
        expect(await servedVersion()).toBe("2.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "rolls back on demand to the version live before",
    () =>
      inEngine(async () => {
        const report = await timed("rollback on demand", () =>
          gantry.rollback(dockerSocket(), E2E_ENV, sampleApp({ version: "x" })),
        );
        console.log(report);
        expect(report).toContain("rollback of 1.0.0 to e2e succeeded");
        expect(await servedVersion()).toBe("1.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "gives a canary a share of traffic through the watch window, then all of it",
    () =>
      inEngine(async () => {
        const switching = timed("canary deploy", () =>
          deployVariant({ version: "6.0.0" }, 50),
        );
        const traffic = await pollWhile(switching);
        const report = await switching;
        console.log(report);
        console.log(
          `[deploy e2e] client during the canary: ${traffic.requests} requests, ${traffic.failures.length} failed`,
        );
        expect(report).toMatch(/watch with 50% canary: \d+ requests/);
        expect(traffic.failures).toEqual([]);
        expect(traffic.versions).toEqual(new Set(["1.0.0", "6.0.0"]));
        expect(await servedVersion()).toBe("6.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "deploys and destroys a preview on a port Docker picks",
    () =>
      inEngine(async () => {
        const source = sampleApp({ version: "7.0.0" });
        const report = await timed("preview deploy", () =>
          gantry.deploy(
            dockerSocket(),
            "preview",
            E2E_IMAGE,
            source,
            "7.0.0",
            "e2e",
            E2E_PREVIEW,
          ),
        );
        console.log(report);
        const url = /succeeded in .*: (http:\/\/127\.0\.0\.1:\d+)/.exec(
          report,
        )?.[1];
        expect(url).toBeDefined();
        expect(await (await fetch(`${url}/version`)).json()).toEqual({
          version: "7.0.0",
        });
        const destroyed = await gantry.destroy(
          dockerSocket(),
          "preview",
          source,
          E2E_PREVIEW,
        );
        expect(destroyed).toContain(`gantry-preview-${E2E_PREVIEW}-proxy`);
        await expect(fetch(`${url}/version`)).rejects.toThrow();
      }),
    TEN_MINUTES,
  );

  it(
    "refuses an unknown environment, missing settings and production without --confirm, changing nothing",
    () =>
      inEngine(async () => {
        const source = sampleApp({ version: "x" });
        const refusal = (env: string) =>
          rejection(gantry.deploy(dockerSocket(), env, E2E_IMAGE, source));
        expect(await refusal("qa")).toContain(
          '--env "qa" is not an environment',
        );
        expect(await refusal("staging")).toContain(
          "environments.staging.port is not set in gantry.config.json",
        );
        expect(await refusal("production")).toContain(
          "a deploy of production requires --confirm",
        );
        expect(await servedVersion()).toBe("6.0.0");
      }),
    TEN_MINUTES,
  );

  it(
    "destroys the environment",
    () =>
      inEngine(async () => {
        const report = await gantry.destroy(
          dockerSocket(),
          E2E_ENV,
          sampleApp({ version: "x" }),
        );
        expect(report).toContain("gantry-e2e-proxy");
        expect(report).toContain("network gantry-e2e");
        await expect(servedVersion()).rejects.toThrow();
      }),
    TEN_MINUTES,
  );
});
