import { expect, it } from "vitest";
import { withConfig } from "./breakage.js";
import {
  describeWithEngine,
  E2E_TIMEOUT,
  inEngine,
  rejection,
} from "./engine.js";
import { engineCase, gantry, sampleApp } from "./support/gantryFixture.js";

// The engine pulls docker.io images through this mirror, so its digests are the ones a pinned reference must name.
const MIRROR = "http://127.0.0.1:5000";

/** `repository:tag@sha256:…` of the manifest the mirror serves for that tag today. */
async function pinned(repository: string, tag: string): Promise<string> {
  const response = await fetch(`${MIRROR}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      accept: "application/vnd.docker.distribution.manifest.v2+json",
    },
  });
  const digest = response.headers.get("docker-content-digest");
  if (!response.ok || !digest)
    throw new Error(`the mirror has no ${repository}:${tag}`);
  return `${repository.replace(/^library\//, "")}:${tag}@${digest}`;
}

describeWithEngine("imagePolicy.requireDigest on a real engine", () => {
  it(
    "runs with credential images pinned by the mirror's digests, and refuses a digest the registry does not have",
    async () => {
      const images = {
        node: await pinned("library/node", "22-bookworm-slim"),
        docker: await pinned("library/docker", "29.2.0-cli"),
        git: await pinned("alpine/git", "v2.45.1"),
        age: await pinned("filosottile/age", "v1.2.1"),
      };
      const policy = {
        imagePolicy: { requireDigest: "secrets" },
        backup: {
          clientImage: await pinned("library/postgres", "15-bookworm"),
        },
      };
      const sample = (config: object) => sampleApp().with(withConfig(config));

      await inEngine(async () => {
        expect(await gantry.lint(sample({ ...policy, images }))).toMatch(
          /lint: eslint +PASS/,
        );

        const unpublished = images.node.replace(
          /@sha256:.*/,
          `@sha256:${"0".repeat(64)}`,
        );
        const refused = await rejection(
          gantry.lint(
            sample({ ...policy, images: { ...images, node: unpublished } }),
          ),
        );
        expect(refused).toContain(`sha256:${"0".repeat(64)}`);
        expect(refused).toMatch(/not found|unknown/i);
      });
    },
    E2E_TIMEOUT,
  );

  engineCase(
    "refuses a credential image on a tag before running anything, naming the field",
    async () => {
      const message = await rejection(
        gantry.lint(
          sampleApp().with(
            withConfig({ imagePolicy: { requireDigest: "secrets" } }),
          ),
        ),
      );
      expect(message).toContain(
        'images.docker: imagePolicy.requireDigest is "secrets", so this image must be pinned by digest',
      );
    },
  );
});
