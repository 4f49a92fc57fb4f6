import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/inputError.js";
import { parseConfig, SECRET_RECEIVING_IMAGES } from "../../src/core/config.js";

const DIGEST = `@sha256:${"a1".repeat(32)}`;

function configWith(config: object): string {
  return JSON.stringify(config);
}

function errorOf(config: object): string {
  try {
    parseConfig({ configJson: configWith(config) });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

const pinnedSecretImages = {
  node: `node:22-bookworm-slim${DIGEST}`,
  docker: `docker:29.2.0-cli${DIGEST}`,
  git: `alpine/git:v2.45.1${DIGEST}`,
  age: `ghcr.io/filosottile/age:v1.2.1${DIGEST}`,
};

describe("imagePolicy.requireDigest", () => {
  it('is "off" by default, so tag references are accepted', () => {
    const config = parseConfig({});
    expect(config.imagePolicy.requireDigest).toBe("off");
    expect(config.images.docker).toBe("docker:29.2.0-cli");
  });

  it('"secrets" refuses each credential-receiving image left on a tag, naming the field', () => {
    const message = errorOf({ imagePolicy: { requireDigest: "secrets" } });
    for (const name of SECRET_RECEIVING_IMAGES)
      expect(message).toContain(`images.${name}: imagePolicy.requireDigest`);
    expect(message).toContain('got "docker:29.2.0-cli"');
    expect(message).toContain(
      'images.node: imagePolicy.requireDigest is "secrets", so this image must be pinned by digest (name:tag@sha256:<64 hex>), got Gantry\'s default for the detected Node version',
    );
    expect(message).toContain(
      "images.age: imagePolicy.requireDigest is \"secrets\", so this image must be pinned by digest (name:tag@sha256:<64 hex>), got Gantry's default, Debian's age package on images.debian",
    );
    expect(message).not.toContain("images.trivy");
    expect(message).toContain(
      'backup.clientImage: imagePolicy.requireDigest is "secrets", so pg_dump\'s image must be one image pinned by digest (postgres:<major>-bookworm@sha256:<64 hex>), got "postgres:{major}-bookworm"',
    );
  });

  it('"secrets" accepts digest-pinned credential images and leaves the others on tags', () => {
    const config = parseConfig({
      configJson: configWith({
        imagePolicy: { requireDigest: "secrets" },
        images: pinnedSecretImages,
        backup: { clientImage: `postgres:15-bookworm${DIGEST}` },
      }),
    });
    expect(config.images.docker).toBe(pinnedSecretImages.docker);
    expect(config.images.trivy).toBe("aquasec/trivy:0.74.0");
  });

  it("refuses a digest that is not 64 hex characters, or a tag that only looks pinned", () => {
    const message = errorOf({
      imagePolicy: { requireDigest: "secrets" },
      images: {
        ...pinnedSecretImages,
        docker: `docker:29.2.0-cli@sha256:${"a1".repeat(31)}`,
        git: "alpine/git:sha256-deadbeef",
      },
    });
    expect(message).toContain("images.docker: imagePolicy.requireDigest");
    expect(message).toContain("images.git: imagePolicy.requireDigest");
    expect(message).not.toContain("images.node");
  });

  it('"all" also holds the scanners and the proxy to a digest', () => {
    const message = errorOf({
      imagePolicy: { requireDigest: "all" },
      images: pinnedSecretImages,
    });
    for (const name of ["trivy", "gitleaks", "postgres", "proxy"])
      expect(message).toContain(
        `images.${name}: imagePolicy.requireDigest is "all"`,
      );
    expect(message).not.toContain("images.docker");
  });

  it("refuses an unknown policy with the values it expects", () => {
    expect(errorOf({ imagePolicy: { requireDigest: "strict" } })).toMatch(
      /imagePolicy\.requireDigest: .*"off"\|"secrets"\|"all"/,
    );
  });
});
