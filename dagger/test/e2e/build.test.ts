import { dag } from "@dagger.io/dagger";
import { expect, it } from "vitest";
import { Gantry } from "../../src/index.js";
import { withRootImage } from "./breakage.js";
import {
  describeWithEngine,
  E2E_TIMEOUT,
  hostRepository,
  inEngine,
  rejection,
  SAMPLE_APP,
} from "./engine.js";

const gantry = new Gantry();

describeWithEngine("build on a real engine", () => {
  it(
    "builds a non-root image with a healthcheck that serves HTTP",
    () =>
      inEngine(async () => {
        expect(await gantry.build(hostRepository(SAMPLE_APP))).toMatch(
          /image: healthcheck +PASS +node -e fetch\(.*…/,
        );
        const image = await gantry.image(
          hostRepository(SAMPLE_APP),
          "1.2.3",
          "abc1234",
        );
        expect(await image.user()).toBe("node");
        const app = image
          .withExposedPort(3000)
          .asService({ useEntrypoint: true });
        const body = await dag
          .container()
          .from("node:22-bookworm-slim")
          .withServiceBinding("app", app)
          .withExec([
            "node",
            "-e",
            "fetch('http://app:3000/healthz').then((r) => r.text()).then(console.log)",
          ])
          .stdout();
        expect(JSON.parse(body)).toEqual({ status: "ok" });
      }),
    E2E_TIMEOUT,
  );

  it(
    "fails an image that runs as root without a healthcheck",
    () =>
      inEngine(async () => {
        const rootImage = hostRepository(SAMPLE_APP).with(withRootImage);
        const message = await rejection(gantry.build(rootImage));
        expect(message).toContain(
          "the image runs as root: add a USER instruction to the Dockerfile",
        );
        expect(message).toContain("the image has no HEALTHCHECK instruction");
      }),
    E2E_TIMEOUT,
  );

  it(
    "returns the compiled output",
    () =>
      inEngine(async () => {
        const dist = await gantry.buildArtifacts(hostRepository(SAMPLE_APP));
        expect(await dist.entries()).toEqual(
          expect.arrayContaining(["server.js", "prices.js"]),
        );
      }),
    E2E_TIMEOUT,
  );
});
