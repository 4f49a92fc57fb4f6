import { expect } from "vitest";
import { withRootImage } from "./breakage.js";
import { describeWithEngine, rejection } from "./engine.js";
import {
  engineCase,
  gantry,
  healthz,
  sampleApp,
} from "./support/gantryFixture.js";

describeWithEngine("build on a real engine", () => {
  engineCase(
    "builds a non-root image with a healthcheck that serves HTTP",
    async () => {
      expect(await gantry.build(sampleApp())).toMatch(
        /image: healthcheck +PASS +node -e fetch\(.*…/,
      );
      const image = await gantry.image(sampleApp(), "1.2.3", "abc1234");
      expect(await image.user()).toBe("node");
      const app = image
        .withExposedPort(3000)
        .asService({ useEntrypoint: true });
      expect(await healthz(app)).toBe('200 {"status":"ok"}');
    },
  );

  engineCase(
    "fails an image that runs as root without a healthcheck",
    async () => {
      const rootImage = sampleApp().with(withRootImage);
      const message = await rejection(gantry.build(rootImage));
      expect(message).toContain(
        "the image runs as root: add a USER instruction to the Dockerfile",
      );
      expect(message).toContain("the image has no HEALTHCHECK instruction");
    },
  );

  engineCase("returns the compiled output", async () => {
    const dist = await gantry.buildArtifacts(sampleApp());
    expect(await dist.entries()).toEqual(
      expect.arrayContaining(["server.js", "prices.js"]),
    );
  });
});
