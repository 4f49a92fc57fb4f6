import { describe, expect, it } from "vitest";
import { escapeSlack, neutralizeMentions } from "../../../src/core/webhook.js";
import {
  parseApiUrl,
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
    for (const apiUrl of [
      "https://ghe.acme.test/api/v3",
      "https://ghe.acme.test/api/v3/",
      "https://ghe.acme.test/api/v3//",
    ])
      expect(
        releaseEndpoints(apiUrl, "acme/app", "v1.3.0").create,
        apiUrl,
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

describe("the API URL and repository the token is sent to", () => {
  it("refuses a plain http:// API URL when a token is given, naming the flag, and never shows its credentials", () => {
    expect(() =>
      parseApiUrl("http://ghe.acme.test/api/v3", { withToken: true }),
    ).toThrow(
      '--github-api-url "http://ghe.acme.test/api/v3" is plain http://, over which --github-token would travel in clear: use https://',
    );
    expect(
      parseApiUrl("http://github.test:8080", { withToken: false }).hostname,
    ).toBe("github.test");
    expect(
      parseApiUrl("https://ghe.acme.test/api/v3", { withToken: true }).href,
    ).toBe("https://ghe.acme.test/api/v3");
    for (const url of [
      "http://user:ghs_secret@ghe.acme.test/api/v3",
      "ftp://user:ghs_secret@ghe.acme.test/",
      "https://user:ghs_secret@ghe.acme.test:port/",
      "'https://user:ghs_secret@ghe.acme.test/'",
    ]) {
      expect(() => parseApiUrl(url, { withToken: true })).toThrow(
        /--github-api-url/,
      );
      expect(() => parseApiUrl(url, { withToken: true })).not.toThrow(
        /ghs_secret/,
      );
    }
  });

  it("never lets the repository step out of /repos/owner/name", () => {
    for (const repository of [
      "../..",
      "acme/..",
      "acme/app/../../orgs/x",
      "acme",
    ])
      expect(
        () => releaseEndpoints("https://api.github.com", repository, "v1"),
        repository,
      ).toThrow(/^repository must be a GitHub repository as owner\/name/);
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
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    const long = webhookPayload(
      "acme/app",
      { ...plan, notes: "x".repeat(5000) },
      null,
    );
    expect(long.text).toHaveLength(2000);
    expect(long.text.endsWith("…")).toBe(true);
  });

  it("lets no commit subject ping a whole channel on Slack or Discord", () => {
    const payload = webhookPayload(
      "acme/app",
      {
        ...plan,
        notes:
          "* hi @everyone and @Here, @channel <!channel> <!here|here> <!everyone> <@U123> & <@&42>\n",
      },
      null,
    );
    for (const text of [payload.text, payload.content]) {
      expect(text).not.toMatch(/@(everyone|here|channel)/i);
      expect(text).toContain("@\u200beveryone");
    }
    expect(payload.text).not.toContain("<");
    expect(payload.text).toContain(
      "&lt;!channel&gt; &lt;!here|here&gt; &lt;!everyone&gt; &lt;@U123&gt; &amp; &lt;@&amp;42&gt;",
    );
    // Discord does not read Slack's escapes; it is told to resolve no mention, role or user.
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it("keeps the Slack text within the limit without cutting an escape in two", () => {
    const notes = `${"x".repeat(1950)}&&&&&&&&&&`;
    const { text } = webhookPayload("acme/app", { ...plan, notes }, null);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/(&amp;)+…$/);
  });
});

describe("mention helpers", () => {
  it("turns broadcast mentions into text and escapes Slack's control characters", () => {
    expect(
      neutralizeMentions("@everyone @HERE @channel @everyoneelse a@here.com"),
    ).toBe(
      "@\u200beveryone @\u200bHERE @\u200bchannel @everyoneelse a@\u200bhere.com",
    );
    expect(escapeSlack("<!here> a & b > c")).toBe(
      "&lt;!here&gt; a &amp; b &gt; c",
    );
  });
});
