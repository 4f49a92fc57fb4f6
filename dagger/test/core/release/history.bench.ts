import { bench, describe } from "vitest";
import {
  changelogSection,
  parseRepository,
} from "../../../src/core/release/changelog.js";
import { parseCommits } from "../../../src/core/release/commits.js";
import { parseGitLog } from "../../../src/core/release/gitLog.js";
import { planRelease } from "../../../src/core/release/plan.js";
import { syntheticHistory } from "../../fixtures/release/syntheticLog.js";

// Run with: npx vitest bench --run test/core/release
const { log } = syntheticHistory(10_000);
const rawCommits = parseGitLog(log);
const commits = parseCommits(rawCommits);
const options = { repository: "acme/gantry", date: "2024-05-01" };

describe("release planning over 10 000 commits", () => {
  bench("parseGitLog", () => {
    parseGitLog(log);
  });

  bench("parseCommits", () => {
    parseCommits(rawCommits);
  });

  bench("changelogSection", async () => {
    await changelogSection(commits, {
      version: "3.0.0",
      tag: "v3.0.0",
      previousTag: "v2.4.1",
      date: options.date,
      repository: parseRepository(options.repository),
    });
  });

  bench("planRelease (log text → plan with changelog)", async () => {
    await planRelease({ tagList: "v2.4.1\n", log, options });
  });
});
