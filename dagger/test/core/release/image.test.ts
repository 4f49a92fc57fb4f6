import { describe, expect, it } from "vitest";
import {
  credentialPair,
  imageRegistry,
  isMissingImageError,
} from "../../../src/core/release/image.js";

describe("imageRegistry", () => {
  it("names the registry the way Docker reads a reference", () => {
    expect(imageRegistry("ghcr.io/acme/app")).toBe("ghcr.io");
    expect(imageRegistry("127.0.0.1:5000/gantry-e2e/sample-app")).toBe(
      "127.0.0.1:5000",
    );
    expect(imageRegistry("localhost/app")).toBe("localhost");
    expect(imageRegistry("acme/app")).toBe("docker.io");
    expect(imageRegistry("app")).toBe("docker.io");
    // A single component is a Docker Hub repository, even when it looks like a host.
    expect(imageRegistry("localhost")).toBe("docker.io");
    expect(imageRegistry("my.app")).toBe("docker.io");
  });

  it("rejects a tag, a digest or an invalid name, since the release chooses the tags", () => {
    for (const image of [
      "ghcr.io/acme/app:1.0",
      "acme/app@sha256:abc",
      "Acme/App",
      "ghcr.io/",
      "ghcr.io/acme/",
      "ghcr.io/acme//app",
    ]) {
      expect(() => imageRegistry(image), image).toThrow(
        /--image must be an image repository without tag or digest/,
      );
    }
  });
});

describe("isMissingImageError", () => {
  it("tells a missing tag from an authentication or network failure", () => {
    expect(
      isMissingImageError(
        "failed to resolve source metadata for 127.0.0.1:5000/x:1.0.0: not found",
      ),
    ).toBe(true);
    expect(isMissingImageError("MANIFEST_UNKNOWN: manifest unknown")).toBe(
      true,
    );
    expect(
      isMissingImageError("401 Unauthorized: authentication required"),
    ).toBe(false);
    expect(isMissingImageError("dial tcp: lookup ghcr.io: no such host")).toBe(
      false,
    );
  });
});

describe("credentialPair", () => {
  it("takes both or neither, naming the flags when one is missing", () => {
    expect(credentialPair(undefined, undefined, "--a and --b")).toBeUndefined();
    expect(credentialPair("acme", "token", "--a and --b")).toEqual({
      username: "acme",
      password: "token",
    });
    expect(() => credentialPair("acme", undefined, "--a and --b")).toThrow(
      "--a and --b go together",
    );
    expect(() => credentialPair(undefined, "token", "--a and --b")).toThrow(
      "--a and --b go together",
    );
    expect(() => credentialPair("", "token", "--a and --b")).toThrow(
      "--a and --b go together",
    );
  });
});
