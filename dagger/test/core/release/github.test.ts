import { describe, expect, it } from "vitest";
import {
  releaseEndpoints,
  releaseRequestBody,
  webhookPayload,
} from "../../../src/core/release/github.js";
import type { ReleasePlan } from "../../../src/core/release/plan.js";

const plan = {
  tag: "v1.3.0-rc.1",
  version: "1.3.0-rc.1",
  isPrerelease: true,
  notes: "### Features\n\n* add --json flag\n",
} as ReleasePlan;

describe("releaseEndpoints", () => {
  it("addresses the release of a tag and the release list on api.github.com or an Enterprise base path", () => {
    expect(
      releaseEndpoints("https://api.github.com", "acme/app", "v1.3.0"),
    ).toEqual({
      byTag: "https://api.github.com/repos/acme/app/releases/tags/v1.3.0",
      create: "https://api.github.com/repos/acme/app/releases",
      hostname: "api.github.com",
    });
    expect(
      releaseEndpoints("https://ghe.acme.test/api/v3/", "acme/app", "v1.3.0")
        .create,
    ).toBe("https://ghe.acme.test/api/v3/repos/acme/app/releases");
  });

  it("escapes the tag and rejects a base that is not a URL", () => {
    expect(
      releaseEndpoints("http://github.test:8080", "acme/app", "release/v1#2")
        .byTag,
    ).toBe(
      "http://github.test:8080/repos/acme/app/releases/tags/release%2Fv1%232",
    );
    expect(() => releaseEndpoints("api.github.com", "acme/app", "v1")).toThrow(
      /--github-api-url must be an absolute URL/,
    );
  });
});

describe("release payloads", () => {
  it("creates the release on the pushed tag, flagged as prerelease when it is one", () => {
    expect(releaseRequestBody(plan)).toEqual({
      tag_name: "v1.3.0-rc.1",
      name: "v1.3.0-rc.1",
      body: plan.notes,
      prerelease: true,
    });
  });

  it("announces in the fields Slack (text) and Discord (content) read, within Discord's 2000 characters", () => {
    const payload = webhookPayload(
      "acme/app",
      plan,
      "https://github.com/acme/app/releases/tag/v1.3.0-rc.1",
    );
    expect(payload.text).toBe(
      `acme/app v1.3.0-rc.1 released: https://github.com/acme/app/releases/tag/v1.3.0-rc.1\n\n${plan.notes.trim()}`,
    );
    expect(payload.content).toBe(payload.text);
    const long = webhookPayload(
      "acme/app",
      { ...plan, notes: "x".repeat(5000) },
      null,
    );
    expect(long.text).toHaveLength(2000);
    expect(long.text.endsWith("…")).toBe(true);
  });
});
