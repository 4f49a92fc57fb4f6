import { describe, expect, it } from "vitest";
import { ReleaseInputError } from "../../../src/core/release/errors.js";
import {
  parseRemoteTags,
  parseRemoteUrl,
} from "../../../src/core/release/remote.js";

const RELEASE = { dryRun: false };
const DRY_RUN = { dryRun: true };

describe("parseRemoteUrl", () => {
  it("reads an HTTPS remote, dropping the credentials actions/checkout or a user may have put in it", () => {
    expect(
      parseRemoteUrl(
        "https://x-access-token:ghs_secret@github.com/acme/app.git\n",
        RELEASE,
      ),
    ).toEqual({
      pushUrl: "https://github.com/acme/app.git",
      hostname: "github.com",
      webHost: "https://github.com",
      repository: "acme/app",
      local: false,
    });
  });

  it("turns SSH remotes, scp-like or URL, into their HTTPS form since a token cannot authenticate SSH", () => {
    for (const url of [
      "git@github.com:acme/app.git",
      "ssh://git@github.com:22/acme/app.git",
    ]) {
      expect(parseRemoteUrl(url, RELEASE)).toMatchObject({
        pushUrl: "https://github.com/acme/app.git",
        repository: "acme/app",
      });
    }
  });

  it("keeps the scheme and port of a GitHub Enterprise or test server, and takes owner/name from the end of the path", () => {
    expect(
      parseRemoteUrl("http://git.test:8080/scm/acme/app", RELEASE),
    ).toEqual({
      pushUrl: "http://git.test:8080/scm/acme/app",
      hostname: "git.test",
      webHost: "http://git.test:8080",
      repository: "acme/app",
      local: false,
    });
  });

  it("rejects remotes it cannot push to with a token", () => {
    expect(() => parseRemoteUrl("/srv/git/app.git", RELEASE)).toThrow(
      ReleaseInputError,
    );
    expect(() => parseRemoteUrl("file:///srv/git/app.git", RELEASE)).toThrow(
      /origin is the local path "file:\/\/\/srv\/git\/app.git": .* must be an HTTP\(S\) or SSH URL/,
    );
    expect(() => parseRemoteUrl("../app", RELEASE)).toThrow(/local path/);
    expect(() => parseRemoteUrl("https://github.com/app.git", RELEASE)).toThrow(
      /owner\/name/,
    );
    expect(() => parseRemoteUrl("ftp://host/acme/app", DRY_RUN)).toThrow(
      /HTTP\(S\) or SSH URL/,
    );
  });

  it("accepts a local origin in a dry run, which pushes nothing", () => {
    expect(parseRemoteUrl("/srv/git/app.git", DRY_RUN)).toEqual({
      pushUrl: "/srv/git/app.git",
      hostname: "",
      webHost: "https://github.com",
      repository: "git/app",
      local: true,
    });
    expect(parseRemoteUrl("file:///home/me/acme/app", DRY_RUN).repository).toBe(
      "acme/app",
    );
    expect(parseRemoteUrl("../app.git", DRY_RUN).local).toBe(true);
  });
});

describe("parseRemoteTags", () => {
  it("maps lightweight tags to their commit and annotated tags to the commit they point at", () => {
    const output = [
      "1111111111111111111111111111111111111111\trefs/tags/v1.0.0",
      "2222222222222222222222222222222222222222\trefs/tags/v1.1.0",
      "3333333333333333333333333333333333333333\trefs/tags/v1.1.0^{}",
      "4444444444444444444444444444444444444444\trefs/heads/main",
      "",
    ].join("\n");
    expect(parseRemoteTags(output)).toEqual(
      new Map([
        ["v1.0.0", "1111111111111111111111111111111111111111"],
        ["v1.1.0", "3333333333333333333333333333333333333333"],
      ]),
    );
    expect(parseRemoteTags("")).toEqual(new Map());
  });
});
