import { describe, expect, it } from "vitest";
import {
  changelogSection,
  parseRepository,
  prependChangelog,
  releaseNotes,
} from "../../../src/core/release/changelog.js";
import { parseCommits } from "../../../src/core/release/commits.js";
import { InputError } from "../../../src/core/inputError.js";
import { rawCommits } from "../../fixtures/release/syntheticLog.js";

const commits = parseCommits(
  rawCommits(
    "feat(api)!: remove v1 endpoints\n\nLong story.\n\nBREAKING CHANGE: the /v1 routes are gone",
    "fix(cli): handle empty config (#42)",
    "feat: add --json flag\n\nCloses #12",
    "perf: cache tag lookups",
    "docs: typo",
    "Update README",
  ),
);
const [breaking, fix, json, perf] = commits.map((commit) => commit.hash);
const repository = parseRepository("acme/gantry");
const commitUrl = (hash: string) =>
  `https://github.com/acme/gantry/commit/${hash}`;

const linkedSection = [
  "## [2.0.0](https://github.com/acme/gantry/compare/v1.4.1...v2.0.0) (2024-05-01)",
  "",
  "### ⚠ BREAKING CHANGES",
  "",
  "* **api:** the /v1 routes are gone",
  "",
  "### Features",
  "",
  `* add --json flag ([${json.slice(0, 7)}](${commitUrl(json)})), closes [#12](https://github.com/acme/gantry/issues/12)`,
  `* **api:** remove v1 endpoints ([${breaking.slice(0, 7)}](${commitUrl(breaking)}))`,
  "",
  "### Bug Fixes",
  "",
  `* **cli:** handle empty config ([#42](https://github.com/acme/gantry/issues/42)) ([${fix.slice(0, 7)}](${commitUrl(fix)}))`,
  "",
  "### Performance Improvements",
  "",
  `* cache tag lookups ([${perf.slice(0, 7)}](${commitUrl(perf)}))`,
  "",
].join("\n");

describe("changelogSection", () => {
  const V2 = {
    version: "2.0.0",
    tag: "v2.0.0",
    previousTag: "v1.4.1",
    date: "2024-05-01",
    repository,
  };

  it("renders sections, commit and issue links and the compare URL for a GitHub repository", async () => {
    const section = await changelogSection(commits, V2);
    expect(section).toBe(linkedSection);
  });

  it("honours a custom host", async () => {
    const section = await changelogSection(commits, {
      ...V2,
      repository: parseRepository("acme/gantry", "https://git.example.com/"),
    });
    expect(section.split("\n")[0]).toBe(
      "## [2.0.0](https://git.example.com/acme/gantry/compare/v1.4.1...v2.0.0) (2024-05-01)",
    );
  });

  it("has no compare link for a first release", async () => {
    const section = await changelogSection(commits, {
      version: "0.1.0",
      tag: "v0.1.0",
      previousTag: null,
      date: "2024-05-01",
      repository,
    });
    expect(section.split("\n")[0]).toBe("## 0.1.0 (2024-05-01)");
  });

  it("keeps hidden types and non-conventional commits out", async () => {
    const section = await changelogSection(commits, V2);
    expect(section).not.toMatch(/typo|README|Documentation/);
  });
});

describe("parseRepository", () => {
  it("rejects anything but owner/name", () => {
    for (const spec of ["gantry", "acme/", "/gantry", "acme/gantry/extra"]) {
      expect(() => parseRepository(spec)).toThrow(InputError);
    }
  });
});

describe("releaseNotes", () => {
  it("is the section without its version heading", () => {
    expect(releaseNotes(linkedSection)).toBe(
      `${linkedSection.split("\n").slice(2).join("\n")}`,
    );
    expect(
      releaseNotes(linkedSection).startsWith("### ⚠ BREAKING CHANGES\n"),
    ).toBe(true);
  });
});

describe("prependChangelog", () => {
  const older =
    "## [1.4.1](https://github.com/acme/gantry/compare/v1.4.0...v1.4.1) (2024-04-01)\n\n### Bug Fixes\n\n* something\n";
  const newer =
    "## [1.5.0](https://github.com/acme/gantry/compare/v1.4.1...v1.5.0) (2024-05-01)\n\n### Features\n\n* more\n";

  it("creates the file with the title when there is none", () => {
    expect(prependChangelog("", newer)).toBe(`# Changelog\n\n${newer}`);
  });

  it("puts the new section first, under the title and its preamble", () => {
    const existing = `# Changelog\n\nAll notable changes to this project are documented here.\n\n${older}`;
    expect(prependChangelog(existing, newer)).toBe(
      `# Changelog\n\nAll notable changes to this project are documented here.\n\n${newer}\n${older}`,
    );
  });

  it("adds the title to a changelog that lacks it", () => {
    expect(prependChangelog(older, newer)).toBe(
      `# Changelog\n\n${newer}\n${older}`,
    );
  });

  it("is idempotent for a version already present", () => {
    const once = prependChangelog(`# Changelog\n\n${older}`, newer);
    expect(prependChangelog(once, newer)).toBe(once);
  });

  it("tells a prerelease section apart from its final release", () => {
    const rc = newer
      .replace(/1\.5\.0\)/, "1.5.0-rc.1)")
      .replace("[1.5.0]", "[1.5.0-rc.1]");
    const withRc = prependChangelog(`# Changelog\n\n${older}`, rc);
    expect(prependChangelog(withRc, newer).indexOf("## [1.5.0]")).toBe(
      "# Changelog\n\n".length,
    );
  });
});

// Hand-written changelogs and sections: the shapes other tools and people leave in a CHANGELOG.md.
describe("parseRepository, edges", () => {
  it("names the spec it refuses and trims every trailing slash of the host", () => {
    expect(() => parseRepository("gantry")).toThrow(
      'repository must look like "owner/name", got "gantry"',
    );
    expect(parseRepository("acme/gantry", "https://git.example.com//")).toEqual(
      {
        host: "https://git.example.com",
        owner: "acme",
        name: "gantry",
      },
    );
  });
});

describe("releaseNotes, edges", () => {
  it("removes only a leading version heading", () => {
    const noHeading = "* a note\n\n### Features\n\n* more\n";
    expect(releaseNotes(noHeading)).toBe(noHeading);
  });
});

describe("prependChangelog, edges", () => {
  const section = "## 10.11.12 (2024-05-01)\n\n### Features\n\n* more\n";

  it("keeps a preamble of several lines when there is no release yet", () => {
    expect(
      prependChangelog("# Changelog\n\nFirst line.\nSecond line.", section),
    ).toBe(`# Changelog\n\nFirst line.\nSecond line.\n\n${section}`);
  });

  it("normalises CRLF and a title with trailing spaces", () => {
    const existing =
      "# Changelog  \r\n\r\n## 9.0.0 (2024-01-01)\r\n\r\n* old\r\n";
    expect(prependChangelog(existing, section)).toBe(
      `# Changelog\n\n${section}\n## 9.0.0 (2024-01-01)\n\n* old\n`,
    );
  });

  it("recognises unbracketed headings, multi-digit versions and ### patch headings as present", () => {
    const existing = `# Changelog\n\n${section}`;
    expect(prependChangelog(existing, section)).toBe(existing);
    const patch = "### [1.4.2](https://x/compare) (2024-04-02)\n\n* fix\n";
    const withPatch = `# Changelog\n\n${patch}`;
    expect(prependChangelog(withPatch, patch)).toBe(withPatch);
  });

  it("does not take a version mentioned inside a line for a heading", () => {
    const existing =
      "# Changelog\n\nNotes before ## 10.11.12 live elsewhere.\n";
    expect(prependChangelog(existing, section)).toBe(
      `# Changelog\n\nNotes before ## 10.11.12 live elsewhere.\n\n${section}`,
    );
  });

  it("adds a section without a version heading", () => {
    expect(prependChangelog("# Changelog\n\nIntro\n", "* a note\n")).toBe(
      "# Changelog\n\nIntro\n\n* a note\n",
    );
  });

  it("tells unbracketed prereleases of one version apart", () => {
    const rc1 = "## 1.5.0-rc.1 (2024-05-01)\n\n* one\n";
    const rc2 = "## 1.5.0-rc.2 (2024-05-02)\n\n* two\n";
    expect(prependChangelog(`# Changelog\n\n${rc1}`, rc2)).toBe(
      `# Changelog\n\n${rc2}\n${rc1}`,
    );
  });
});
