import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/inputError.js";
import {
  parseRemoteTags,
  parseRemoteUrl,
  withoutCredentials,
} from "../../../src/core/release/remote.js";

const RELEASE = { dryRun: false, withToken: true };
const DRY_RUN = { dryRun: true, withToken: false };

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
      parseRemoteUrl("http://git.test:8080/scm/acme/app", DRY_RUN),
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
      InputError,
    );
    expect(() => parseRemoteUrl("file:///srv/git/app.git", RELEASE)).toThrow(
      /origin is the local path "file:\/\/\/srv\/git\/app.git": .* must be an HTTPS or SSH URL/,
    );
    expect(() => parseRemoteUrl("../app", RELEASE)).toThrow(/local path/);
    expect(() => parseRemoteUrl("https://github.com/app.git", RELEASE)).toThrow(
      /owner\/name/,
    );
    expect(() => parseRemoteUrl("ftp://host/acme/app", DRY_RUN)).toThrow(
      /HTTPS or SSH URL/,
    );
  });

  it("refuses a plain http:// origin when a token would be sent to it, even in a dry run, naming the flag", () => {
    for (const options of [RELEASE, { dryRun: true, withToken: true }]) {
      expect(() =>
        parseRemoteUrl("http://git.acme.test/acme/app.git", options),
      ).toThrow(
        /origin "http:\/\/git\.acme\.test\/acme\/app\.git" is plain http:\/\/, over which --github-token would travel in clear: use an https:\/\/ or SSH origin/,
      );
    }
    expect(
      parseRemoteUrl("http://git.acme.test/acme/app.git", DRY_RUN).repository,
    ).toBe("acme/app");
  });

  it("never shows the credentials of an origin it refuses", () => {
    const refused = [
      "ftp://x-access-token:ghs_secret@host/acme/app",
      "http://x-access-token:ghs_secret@git.acme.test/acme/app.git",
      "https://x-access-token:ghs_secret@host:notaport/acme/app",
      "https://x-access-token:ghs/secret@host/acme/app",
      "https://x-access-token:ghs_secret@github.com/app.git",
    ];
    for (const origin of refused) {
      let message = "";
      try {
        parseRemoteUrl(origin, RELEASE);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, origin).toMatch(/origin/);
      expect(message, origin).not.toContain("ghs");
      expect(message, origin).not.toContain("x-access-token");
    }
  });

  it("checks that the origin path ends with a repository GitHub allows", () => {
    expect(() =>
      parseRemoteUrl("https://github.com/acme/my%20app.git", RELEASE),
    ).toThrow(/must be a GitHub repository as owner\/name/);
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
    expect(parseRemoteUrl("/home/me/My Projects/app", DRY_RUN).repository).toBe(
      "local/repository",
    );
  });
});

describe("withoutCredentials", () => {
  it("drops the user name and password of a URL, with the URL parser", () => {
    expect(
      withoutCredentials("https://user:ghs_secret@github.com/acme/app"),
    ).toBe("https://github.com/acme/app");
    expect(withoutCredentials("https://ghs_secret@ghe.test:8443/a/b?x=1")).toBe(
      "https://ghe.test:8443/a/b?x=1",
    );
    expect(withoutCredentials("https://github.com/acme/app")).toBe(
      "https://github.com/acme/app",
    );
  });

  it("strips everything up to the last @ of text the parser refuses", () => {
    expect(withoutCredentials("https://user:ghs/secret@host/acme/app")).toBe(
      "https://host/acme/app",
    );
    expect(withoutCredentials("https://u:p@host:badport/x")).toBe(
      "https://host:badport/x",
    );
    expect(withoutCredentials("git@github.com:acme/app.git")).toBe(
      "git@github.com:acme/app.git",
    );
  });

  it("strips the credentials of a URL the parser refuses for what comes before it", () => {
    // Hand-written: a URL pasted with its quotes or angle brackets.
    expect(withoutCredentials("'https://user:ghs_secret@ghe.acme.test/'")).toBe(
      "'https://ghe.acme.test/'",
    );
    expect(withoutCredentials("<https://ghs_secret@github.com/acme/app>")).toBe(
      "<https://github.com/acme/app>",
    );
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

// Hand-written remotes in the forms git accepts, and `git ls-remote` lines as a shell may pass them.
describe("parseRemoteUrl, edges", () => {
  it("reads scp-like remotes without a user, or with a user and password", () => {
    expect(parseRemoteUrl("github.com:acme/app.git", RELEASE).pushUrl).toBe(
      "https://github.com/acme/app.git",
    );
    expect(
      parseRemoteUrl("deploy:secret@git.example.com:acme/app.git", RELEASE)
        .pushUrl,
    ).toBe("https://git.example.com/acme/app.git");
  });

  it.each(["C:\\work\\acme\\app", "c:/work/acme/app"])(
    "takes the Windows path %s for a local origin",
    (path) => {
      expect(parseRemoteUrl(path, DRY_RUN)).toMatchObject({
        repository: "acme/app",
        local: true,
      });
    },
  );

  // `file://` is a scheme only at the start: in the third path, `file:` is a directory, not a name GitHub allows.
  it.each([
    ["/app", "app/repository"],
    ["file:///app", "app/repository"],
    ["/srv/file://app", "local/repository"],
  ])(
    "names the one-directory or odd local origin %s as %s for a dry run",
    (origin, repository) => {
      expect(parseRemoteUrl(origin, DRY_RUN).repository).toBe(repository);
    },
  );

  it("trims git's trailing newline and slashes from a local origin", () => {
    expect(parseRemoteUrl("/srv/acme/app/\n", DRY_RUN)).toMatchObject({
      pushUrl: "/srv/acme/app/",
      repository: "acme/app",
    });
    expect(parseRemoteUrl("/", DRY_RUN).repository).toBe("local/repository");
  });

  it("drops only a final .git from the repository name", () => {
    expect(parseRemoteUrl("/srv/acme/acme.github.io", DRY_RUN).repository).toBe(
      "acme/acme.github.io",
    );
    expect(
      parseRemoteUrl("https://github.com/acme/acme.github.io", RELEASE)
        .repository,
    ).toBe("acme/acme.github.io");
  });

  it("ignores a trailing slash of an HTTPS origin", () => {
    expect(
      parseRemoteUrl("https://github.com/acme/app/", RELEASE).repository,
    ).toBe("acme/app");
  });

  it("names the origin whose path is not a repository", () => {
    expect(() =>
      parseRemoteUrl("https://github.com/acme/my%20app.git", RELEASE),
    ).toThrow(
      'the repository in origin "https://github.com/acme/my%20app.git" must be a GitHub repository',
    );
  });
});

describe("withoutCredentials, edges", () => {
  it("returns a URL without credentials exactly as given", () => {
    expect(withoutCredentials("https://GitHub.com")).toBe("https://GitHub.com");
    expect(withoutCredentials("https://github.com/acme/app.git")).toBe(
      "https://github.com/acme/app.git",
    );
  });
  it("drops a password given without a user name", () => {
    expect(withoutCredentials("https://:tok@github.com/acme/app.git")).toBe(
      "https://github.com/acme/app.git",
    );
  });
});

describe("parseRemoteTags, edges", () => {
  it("reads indented lines, runs of blanks, and skips a line without a ref", () => {
    const output = [
      "  1111111\trefs/tags/v1.0.0",
      "2222222   refs/tags/v1.1.0",
      "3333333",
      "4444444\trefs/heads/main",
      "",
    ].join("\n");
    expect([...parseRemoteTags(output)]).toEqual([
      ["v1.0.0", "1111111"],
      ["v1.1.0", "2222222"],
    ]);
  });
});
