import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitRepo } from "../../fixtures/release/gitRepo.js";
import { SAMPLE_APP } from "../engine.js";

/** Host name under which the tests bind the git server; the origin URL of every work repository uses it. */
export const GIT_HOST = "git.test";
export const REPOSITORY = "acme/sample-app";

/** The sample app as a git repository released as v1.0.0, with a real bare repository on disk as its origin. */
export class ReleaseFixture {
  readonly root = mkdtempSync(join(tmpdir(), "gantry-release-e2e-"));
  /** Directory the git server serves; the origin is `<servedRoot>/acme/sample-app.git`. */
  readonly servedRoot = join(this.root, "served");
  readonly origin = join(this.servedRoot, `${REPOSITORY}.git`);
  readonly work = new GitRepo();

  constructor() {
    execFileSync("git", [
      "init",
      "--quiet",
      "--bare",
      "--initial-branch=main",
      this.origin,
    ]);
    cpSync(SAMPLE_APP, this.work.dir, {
      recursive: true,
      filter: (path) => !/\/(node_modules|coverage|dist)$/.test(path),
    });
    this.work.commit("feat: sample app");
    this.work.tag("v1.0.0");
    this.work.git(
      "remote",
      "add",
      "origin",
      `http://${GIT_HOST}/${REPOSITORY}.git`,
    );
    this.work.git("push", "--quiet", this.origin, "main", "--tags");
  }

  /** `git <args>` in the bare origin. */
  originGit(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.origin,
      encoding: "utf8",
    }).trim();
  }

  /** Every ref of the origin with its hash, to compare before and after a run. */
  originRefs(): string {
    return this.originGit("for-each-ref", "--format=%(objectname) %(refname)");
  }

  /** Brings the origin's main (with the release commit) and tags into the work repository, as a later checkout would have them. */
  pullFromOrigin(): void {
    this.work.git("fetch", "--quiet", "--tags", this.origin, "main");
    this.work.git("merge", "--quiet", "--ff-only", "FETCH_HEAD");
  }

  dispose(): void {
    this.work.dispose();
    rmSync(this.root, { recursive: true, force: true });
  }
}
