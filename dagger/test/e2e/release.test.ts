import { dag, type Secret } from "@dagger.io/dagger";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect } from "vitest";
import { describeWithEngine, rejection } from "./engine.js";
import {
  AUTH_REGISTRY,
  startAuthRegistry,
  type AuthRegistry,
} from "./support/authRegistry.js";
import { engineCase, gantry } from "./support/gantryFixture.js";
import { startGithubApi, type GithubApiStandIn } from "./support/githubApi.js";
import { startGitServer, type GitServer } from "./support/gitServer.js";
import {
  GIT_HOST,
  GITHUB_API_HOST,
  ReleaseFixture,
  REPOSITORY,
  testCertificate,
  type TestCertificate,
} from "./support/releaseFixture.js";

// What is real here: the git history, the bare origin on disk (served by `git http-backend`, which checks the token as
// GitHub does), the registry (the engine's mirror at 127.0.0.1:5000 accepts pushes) and every container the release runs.
// The one stand-in is the GitHub REST API (support/githubApi.ts): GitHub is unreachable from this machine.
// Containers cannot reach this process's 127.0.0.1, so both servers reach them through Dagger host services bound under
// the host names of the origin URL and of --github-api-url, which is how a caller tunnels to a GitHub Enterprise host too.
// Both serve HTTPS (the token is only ever sent over HTTPS) with a throwaway certificate passed as --ca-certificate.

const TOKEN = "ghs_e2eReleaseToken0123456789";
const REGISTRY = "127.0.0.1:5000";
const IMAGE_REPOSITORY = "gantry-e2e/sample-app";
const WEBHOOK_PATH = "/hooks/T0001/B0002/e2eWebhookSecret";

interface ReleaseOptions {
  dryRun?: boolean;
  /** Path of a webhook on the GitHub stand-in to announce the release to. */
  webhookPath?: string;
  token?: boolean;
  prerelease?: string;
  image?: string;
  /** A registry that needs a login, whose credentials are passed as --registry-username/--registry-password. */
  registry?: AuthRegistry;
  source?: string;
  /** --github-api-url; the stand-in over HTTPS by default. */
  githubApiUrl?: string;
  repository?: string;
}

let fixture: ReleaseFixture;
let gitServer: GitServer;
let github: GithubApiStandIn;
let registry: AuthRegistry | undefined;
let certificate: TestCertificate;

/** Calls the module's release on `fixture.work` (or `source`) the way `dagger call release` does, with both servers tunnelled in. */
function release({
  dryRun = false,
  token = true,
  prerelease,
  image,
  source,
  webhookPath,
  registry,
  githubApiUrl = `https://${GITHUB_API_HOST}`,
  repository,
}: ReleaseOptions = {}): Promise<string> {
  const githubToken: Secret | undefined = token
    ? dag.setSecret("github-token", TOKEN)
    : undefined;
  return gantry.release(
    // noCache: the engine would otherwise serve the session's first snapshot of a directory the test has since changed.
    dag.host().directory(source ?? fixture.work.dir, { noCache: true }),
    dryRun,
    githubToken,
    prerelease,
    undefined,
    image,
    registry?.username,
    registry && dag.setSecret("registry-password", registry.password),
    webhookPath
      ? dag.setSecret("webhook-url", `https://${GITHUB_API_HOST}${webhookPath}`)
      : undefined,
    repository,
    githubApiUrl,
    dag.host().service([{ frontend: 443, backend: github.port }]),
    dag.host().service([{ frontend: 443, backend: gitServer.port }]),
    dag.host().file(certificate.certPath),
  );
}

/** The image's tags in the mirror, or in `registry` with its login. */
async function imageTags(registry?: AuthRegistry): Promise<string[]> {
  const login = registry && {
    authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString("base64")}`,
  };
  const response = await fetch(
    `http://${registry?.address ?? REGISTRY}/v2/${IMAGE_REPOSITORY}/tags/list`,
    { headers: login },
  );
  if (response.status === 404) return [];
  return (
    ((await response.json()) as { tags: string[] | null }).tags ?? []
  ).sort();
}

/** Empties the image repository, so that each run of this suite publishes for real instead of finding the last run's tags. */
async function deleteImageTags(): Promise<void> {
  for (const tag of await imageTags()) {
    const accept =
      "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
    const manifest = await fetch(
      `http://${REGISTRY}/v2/${IMAGE_REPOSITORY}/manifests/${tag}`,
      { method: "HEAD", headers: { accept } },
    );
    const digest = manifest.headers.get("docker-content-digest");
    if (digest)
      await fetch(
        `http://${REGISTRY}/v2/${IMAGE_REPOSITORY}/manifests/${digest}`,
        { method: "DELETE" },
      );
  }
}

describeWithEngine("release on a real engine", () => {
  beforeAll(deleteImageTags);
  beforeEach(async () => {
    fixture = new ReleaseFixture();
    certificate = testCertificate(fixture.root);
    gitServer = await startGitServer(fixture.servedRoot, TOKEN, certificate);
    github = await startGithubApi(TOKEN, certificate);
  });
  afterEach(async () => {
    await Promise.all([gitServer.close(), github.close(), registry?.close()]);
    registry = undefined;
    fixture.dispose();
  });

  engineCase("dry run prints the plan and changes nothing", async () => {
    fixture.work.commit("feat: price list endpoint");
    const before = fixture.originRefs();

    const summary = await release({
      dryRun: true,
      token: false,
      image: `${REGISTRY}/${IMAGE_REPOSITORY}`,
    });

    expect(summary).toContain(
      "Dry run: would release v1.1.0, nothing was changed",
    );
    expect(summary).toContain('[would do]     commit "chore(release): v1.1.0"');
    expect(summary).toContain(
      `[would do]     push v1.1.0 and the release commit to main on https://${GIT_HOST}/${REPOSITORY}.git`,
    );
    expect(summary).toContain(
      `[would do]     create the GitHub release v1.1.0 of ${REPOSITORY}`,
    );
    expect(summary).toContain(
      `[would do]     build the image and publish ${REGISTRY}/${IMAGE_REPOSITORY}:1.1.0, :1.1, :1, :latest`,
    );
    expect(summary).toContain("price list endpoint");
    expect(fixture.originRefs()).toBe(before);
    expect(github.requests).toEqual([]);
    expect(await imageTags()).toEqual([]);
  });

  engineCase(
    "dry run works from a clone whose origin is a local path; the real release refuses it before anything runs",
    async () => {
      fixture.work.commit("feat: price list endpoint");
      fixture.work.git("remote", "set-url", "origin", fixture.origin);

      const summary = await release({ dryRun: true, token: false });
      expect(summary).toContain(
        "Dry run: would release v1.1.0, nothing was changed",
      );
      expect(summary).toContain(
        `[would do]     push v1.1.0 and the release commit to main on ${fixture.origin}`,
      );
      expect(summary).toContain(
        `origin is the local path ${fixture.origin}: the release itself needs an HTTPS or SSH origin to push to`,
      );

      const before = fixture.originRefs();
      expect(await rejection(release())).toContain(
        `origin is the local path "${fixture.origin}"`,
      );
      expect(fixture.originRefs()).toBe(before);
      expect(github.requests).toEqual([]);
    },
  );

  engineCase(
    "releases: commit and tag on the remote, GitHub release with the notes, image tags in the registry",
    async () => {
      const head = fixture.work.commit("feat: price list endpoint");
      fixture.work.commit("fix: round prices to cents");
      registry = await startAuthRegistry();

      const summary = await release({
        image: `${AUTH_REGISTRY}/${IMAGE_REPOSITORY}`,
        registry,
        webhookPath: WEBHOOK_PATH,
      });

      expect(summary).toMatch(/^Released v1\.1\.0 \(minor bump/);
      expect(summary).not.toContain("[would do]");
      expect(fixture.originGit("tag", "--list")).toBe("v1.0.0\nv1.1.0");
      expect(fixture.originGit("rev-parse", "v1.1.0^{commit}")).toBe(
        fixture.originGit("rev-parse", "main"),
      );
      expect(fixture.originGit("log", "-1", "--format=%s", "main")).toBe(
        "chore(release): v1.1.0",
      );
      expect(fixture.originGit("rev-parse", "main^")).not.toBe(head);
      expect(fixture.originGit("log", "-1", "--format=%s", "main^")).toBe(
        "fix: round prices to cents",
      );
      expect(
        JSON.parse(fixture.originGit("show", "main:package.json")).version,
      ).toBe("1.1.0");
      expect(
        JSON.parse(fixture.originGit("show", "main:package-lock.json")).version,
      ).toBe("1.1.0");
      const changelog = fixture.originGit("show", "main:CHANGELOG.md");
      expect(changelog).toMatch(
        /^# Changelog\n\n## \[1\.1\.0\]\(https:\/\/git\.test\/acme\/sample-app\/compare\/v1\.0\.0\.\.\.v1\.1\.0\)/,
      );
      expect(changelog).toContain("* price list endpoint");
      expect(changelog).toContain("* round prices to cents");

      expect(
        github.requests.map(({ method, path }) => `${method} ${path}`),
      ).toEqual([
        `GET /repos/${REPOSITORY}/releases/tags/v1.1.0`,
        `POST /repos/${REPOSITORY}/releases`,
        // The webhook step looks the release up again: it may have been created by an earlier run.
        `GET /repos/${REPOSITORY}/releases/tags/v1.1.0`,
        `POST ${WEBHOOK_PATH}`,
      ]);
      const [api, webhook] = [github.requests.slice(0, 3), github.requests[3]];
      expect(
        api.every((request) => request.authorization === `Bearer ${TOKEN}`),
      ).toBe(true);
      // The GitHub token is for GitHub only, and the webhook URL is a secret the summary does not print.
      expect(webhook.authorization).toBeUndefined();
      expect(summary).toContain(
        "[done]         announce the release on the webhook",
      );
      expect(summary).not.toContain("e2eWebhookSecret");
      expect((webhook.body as { text: string }).text).toMatch(
        new RegExp(
          `^${REPOSITORY} v1\\.1\\.0 released: https://github\\.test/${REPOSITORY}/releases/tag/v1\\.1\\.0\n\n### Features`,
        ),
      );
      const body = github.requests[1].body as {
        tag_name: string;
        name: string;
        body: string;
        prerelease: boolean;
      };
      expect(body).toMatchObject({
        tag_name: "v1.1.0",
        name: "v1.1.0",
        prerelease: false,
      });
      expect(body.body).toMatch(/^### Features\n\n\* price list endpoint/);
      expect(body.body).toContain("### Bug Fixes");
      expect(summary).toContain(body.body.trim());

      expect(await imageTags(registry)).toEqual([
        "1",
        "1.1",
        "1.1.0",
        "latest",
      ]);
      // Published through the login: anonymous reads are refused, and no password reached the summary.
      expect(
        (
          await fetch(
            `http://${AUTH_REGISTRY}/v2/${IMAGE_REPOSITORY}/tags/list`,
          )
        ).status,
      ).toBe(401);
      expect(summary).not.toContain(registry.password);
      expect(gitServer.rejected).toBe(0);
    },
  );

  engineCase(
    "without releasable commits, says so, exits 0 and pushes nothing",
    async () => {
      fixture.work.commit("docs: explain the price list");
      fixture.work.commit("chore: tidy scripts");
      const before = fixture.originRefs();

      const summary = await release();

      expect(summary).toMatch(
        /^Nothing to release: no releasable commits since 1\.0\.0 \(0 breaking, 0 feat, 0 fix\/perf\/revert, 2 other\)/,
      );
      expect(fixture.originRefs()).toBe(before);
      expect(github.requests).toEqual([]);
    },
  );

  engineCase("without a token, fails before any side effect", async () => {
    fixture.work.commit("feat: price list endpoint");
    const before = fixture.originRefs();

    const message = await rejection(release({ token: false }));

    expect(message).toContain(
      "--github-token is required with --dry-run=false",
    );
    expect(fixture.originRefs()).toBe(before);
    expect(github.requests).toEqual([]);
  });

  engineCase(
    "sends the token over HTTPS only and to owner/name only: http:// origin or API URL and a bad --repository are refused before any side effect",
    async () => {
      fixture.work.commit("feat: price list endpoint");
      const before = fixture.originRefs();
      const httpOrigin = `http://${GIT_HOST}/${REPOSITORY}.git`;
      fixture.work.git("remote", "set-url", "origin", httpOrigin);

      for (const dryRun of [false, true]) {
        expect(await rejection(release({ dryRun }))).toContain(
          `origin "${httpOrigin}" is plain http://, over which --github-token would travel in clear`,
        );
      }
      // Without a token there is nothing to protect: a dry run still plans from an http:// origin.
      expect(await release({ dryRun: true, token: false })).toContain(
        "Dry run: would release v1.1.0, nothing was changed",
      );

      fixture.work.git(
        "remote",
        "set-url",
        "origin",
        `https://${GIT_HOST}/${REPOSITORY}.git`,
      );
      expect(
        await rejection(release({ githubApiUrl: `http://${GITHUB_API_HOST}` })),
      ).toContain(
        `--github-api-url "http://${GITHUB_API_HOST}" is plain http://`,
      );
      expect(await rejection(release({ repository: "../.." }))).toContain(
        '--repository must be a GitHub repository as owner/name (the owner letters, digits and "-"; the name letters, digits, ".", "_" and "-"), got "../.."',
      );
      expect(fixture.originRefs()).toBe(before);
      expect(github.requests).toEqual([]);
      expect(gitServer.challenged + gitServer.rejected).toBe(0);
    },
  );

  engineCase(
    "the token reaches only the git command that talks to origin: no command line, environment or hook of it or of a later command sees it",
    async () => {
      fixture.work.commit("fix: round prices to cents");
      fixture.installReportingHooks();
      github.failNextCreate = true;

      // The first run commits, tags and pushes, then fails at GitHub; the rerun fetches the pushed tag from origin
      // and checks the release commit out of the container the fetch left, to build the image from it: git
      // commands after authenticated ones.
      expect(await rejection(release())).toContain("GitHub API answered 500");
      registry = await startAuthRegistry();
      expect(
        await release({
          image: `${AUTH_REGISTRY}/${IMAGE_REPOSITORY}`,
          registry,
        }),
      ).toMatch(/^Released v1\.0\.1 /);

      const reports = gitServer.hookReports;
      const hooks = reports.map((report) => report.split("\n")[0]);
      expect(hooks).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^hook post-commit/),
          expect.stringMatching(/^hook reference-transaction committed/),
          expect.stringMatching(/^hook post-checkout/),
        ]),
      );
      // What the hooks saw includes the git processes around them, command line and environment.
      expect(reports.join("\n")).toMatch(/process \d+: git /);
      const basic = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
      for (const report of reports) {
        expect(report).not.toContain(TOKEN);
        expect(report).not.toContain(basic);
      }
      expect(gitServer.rejected).toBe(0);
      expect(fixture.originGit("tag", "--list")).toBe("v1.0.0\nv1.0.1");
    },
  );

  engineCase(
    "resumes after a failure, from the same HEAD and from a checkout of the pushed release commit, doing only what is missing",
    async () => {
      fixture.work.commit("fix: round prices to cents");
      github.failNextCreate = true;

      const failure = await rejection(release());
      expect(failure).toContain(
        '"create the GitHub release v1.0.1 of acme/sample-app" failed: GitHub API answered 500',
      );
      expect(failure).toContain("Run the release again");
      const afterFailure = fixture.originRefs();
      expect(fixture.originGit("tag", "--list")).toContain("v1.0.1");

      // A rerun of the failed job: same HEAD as the first run.
      const rerun = await release();

      expect(fixture.originRefs()).toBe(afterFailure);
      expect(rerun).toMatch(
        /\[already done\] commit "chore\(release\): v1\.0\.1".*\(v1\.0\.1 already tags the release commit on origin\)/,
      );
      expect(rerun).toMatch(
        /\[already done\] push v1\.0\.1 .*\(origin has v1\.0\.1\)/,
      );
      expect(rerun).toContain(
        `[done]         create the GitHub release v1.0.1 of ${REPOSITORY} (https://github.test/${REPOSITORY}/releases/tag/v1.0.1)`,
      );
      const creations = github.requests.filter(
        (request) => request.method === "POST",
      );
      expect(creations).toHaveLength(2);
      expect(github.releases).toEqual(new Set(["v1.0.1"]));

      // A later run on the branch, whose HEAD is now the release commit, with the image publish added.
      fixture.pullFromOrigin();
      const fromReleaseCommit = await release({
        image: `${REGISTRY}/${IMAGE_REPOSITORY}`,
      });

      expect(fromReleaseCommit).toMatch(/^Released v1\.0\.1 \(patch bump/);
      expect(fromReleaseCommit).toMatch(
        /\[already done\] commit .*\(v1\.0\.1 already tags the release commit on origin\)/,
      );
      expect(fromReleaseCommit).toMatch(
        /\[already done\] create the GitHub release v1\.0\.1 .*\(exists: /,
      );
      expect(fromReleaseCommit).toContain(
        `[done]         build the image and publish ${REGISTRY}/${IMAGE_REPOSITORY}:1.0.1`,
      );
      expect(fixture.originRefs()).toBe(afterFailure);
      expect(
        github.requests.filter((request) => request.method === "POST"),
      ).toHaveLength(2);
      expect(await imageTags()).toContain("1.0.1");
    },
  );

  engineCase(
    "builds the image before pushing anything: a broken build leaves origin, GitHub and the registry untouched",
    async () => {
      const dockerfile = join(fixture.work.dir, "Dockerfile");
      writeFileSync(
        dockerfile,
        `${readFileSync(dockerfile, "utf8")}\nRUN exit 42\n`,
      );
      fixture.work.commit("fix: harden the image");
      const before = fixture.originRefs();
      registry = await startAuthRegistry();

      const message = await rejection(
        release({ image: `${AUTH_REGISTRY}/${IMAGE_REPOSITORY}`, registry }),
      );

      expect(message).toContain("exit code: 42");
      expect(fixture.originRefs()).toBe(before);
      expect(
        github.requests.filter((request) => request.method !== "GET"),
      ).toEqual([]);
      expect(await imageTags(registry)).toEqual([]);
    },
  );

  engineCase(
    "refuses a version whose tag already exists on origin on another commit, before any side effect",
    async () => {
      fixture.work.git("checkout", "--quiet", "-b", "experiment");
      fixture.work.commit("feat: experiment");
      fixture.work.tag("v1.1.0");
      fixture.work.git("push", "--quiet", fixture.origin, "v1.1.0");
      fixture.work.git("checkout", "--quiet", "main");
      fixture.work.git("tag", "--delete", "v1.1.0");
      fixture.work.commit("feat: price list endpoint");
      const before = fixture.originRefs();

      const message = await rejection(release());

      expect(message).toContain(
        "tag v1.1.0 already exists on origin and is not the release commit of HEAD",
      );
      expect(message).toContain("release another version with --version");
      expect(fixture.originRefs()).toBe(before);
      expect(github.requests).toEqual([]);
    },
  );

  engineCase(
    "prerelease channel: rc.1, then rc.2 for the next fix",
    async () => {
      fixture.work.commit("feat: price list endpoint");
      expect(await release({ prerelease: "rc" })).toMatch(
        /^Released v1\.1\.0-rc\.1 /,
      );

      fixture.pullFromOrigin();
      fixture.work.commit("fix: round prices to cents");
      expect(await release({ prerelease: "rc" })).toMatch(
        /^Released v1\.1\.0-rc\.2 /,
      );

      expect(fixture.originGit("tag", "--list")).toBe(
        "v1.0.0\nv1.1.0-rc.1\nv1.1.0-rc.2",
      );
      expect(
        JSON.parse(fixture.originGit("show", "main:package.json")).version,
      ).toBe("1.1.0-rc.2");
      const creations = github.requests
        .filter((request) => request.method === "POST")
        .map((request) => request.body);
      expect(creations).toMatchObject([
        { tag_name: "v1.1.0-rc.1", prerelease: true },
        { tag_name: "v1.1.0-rc.2", prerelease: true },
      ]);
    },
  );

  engineCase(
    "refuses a shallow clone or a dirty work tree, before any side effect",
    async () => {
      fixture.work.commit("feat: price list endpoint");
      const before = fixture.originRefs();
      const shallow = `${fixture.root}/shallow`;
      fixture.work.git(
        "clone",
        "--quiet",
        "--depth",
        "1",
        `file://${fixture.work.dir}`,
        shallow,
      );

      expect(await rejection(release({ source: shallow }))).toContain(
        "the history is shallow",
      );
      const dirty = dag
        .host()
        .directory(fixture.work.dir)
        .withNewFile("src/wip.ts", "export const wip = true;\n");
      expect(
        await rejection(
          gantry.release(dirty, false, dag.setSecret("github-token", TOKEN)),
        ),
      ).toContain("the work tree has uncommitted changes");
      expect(fixture.originRefs()).toBe(before);
      expect(github.requests).toEqual([]);
    },
  );
});
