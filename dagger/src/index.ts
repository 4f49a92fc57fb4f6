import {
  argument,
  check,
  dag,
  func,
  object,
  type Container,
  type Directory,
  type File,
  type Secret,
  type Service,
  type Socket,
} from "@dagger.io/dagger";
import { LoadProfile } from "./core/config.js";
import { timeStage } from "./core/gates.js";
import { DEFAULT_GITHUB_API_URL } from "./core/release/github.js";
import { CiStage, ReportFormat } from "./core/report.js";
import { buildArtifacts, imageGates, serviceImage } from "./stages/build.js";
import { defaultDockerfileFile } from "./stages/dockerfile.js";
import { reportOrThrow, runAllGates } from "./stages/ci.js";
import { lighthouseGates } from "./stages/lighthouse.js";
import { lintGates } from "./stages/lint.js";
import { release, RELEASE_SOURCE_IGNORE } from "./stages/release.js";
import { loadTestReport } from "./stages/loadTest.js";
import { scanGates } from "./stages/scan.js";
import {
  GIT_HISTORY_ONLY,
  measureSizes,
  pendingBase,
} from "./stages/sizeBudget.js";
import { serializeBaseline } from "./core/size/figures.js";
import { runTests } from "./stages/test.js";
import { typecheckGates } from "./stages/typecheck.js";
import { Target } from "./target.js";
import {
  loadProject,
  SOURCE_IGNORE,
  withDependencies,
} from "./stages/workspace.js";

/**
 * Gantry: the whole delivery pipeline of a Node.js/TypeScript service, from lint to release and deploy.
 *
 * Checks (ci, lint, typecheck, test, build, scan) replay their verdict for 10 minutes when nothing they read changed,
 * so a rerun with no change returns at once; after that they judge again (new advisories, an advisory database that
 * was unreachable). A failed call is not replayed. Measurements asked for by name (load-test, lighthouse) are cached
 * for one session only. Builders (image, coverage, build-artifacts, workspace) are pure functions of the source and
 * keep the engine's default cache. Functions with side effects (release, and target's deploy, rollback, destroy,
 * backup, restore, restore-test) are never cached.
 */
@object()
export class Gantry {
  /**
   * Run every quality gate (lint, typecheck, tests with coverage, image build, scans, smoke load test) and print one report; fails if any gate failed.
   *
   * @example dagger call ci --format markdown --skip load
   * @param source Repository to check (defaults to the module's context directory).
   * @param format Report format: a text table, or markdown for a GitHub job summary.
   * @param skip Stages to leave out.
   * @param base Git ref (e.g. origin/main) whose build output and image the size budget compares with, built the same way from --git-history.
   * @param baseline Size baseline file exported by size-baseline on the base, instead of --base.
   * @param gitHistory The repository's git history where --base is looked up: a clone or its .git (defaults to the context directory's .git).
   */
  @func({ cache: "10m" })
  async ci(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    format: ReportFormat = ReportFormat.text,
    skip: CiStage[] = [],
    base?: string,
    baseline?: File,
    @argument({ defaultPath: "/", ignore: GIT_HISTORY_ONLY })
    gitHistory?: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    const sizeBase = await pendingBase(project, {
      base,
      baseline,
      gitHistory,
    });
    const gates = await runAllGates(project, new Set(skip), sizeBase);
    return reportOrThrow(gates, format);
  }

  /**
   * The size figures ci's size budget compares (build output raw and gzip, image compressed size and layers), as the baseline file `ci --baseline` reads.
   *
   * @example dagger call size-baseline export --path size-baseline.json
   * @param source Repository to measure, usually the base branch (defaults to the module's context directory).
   */
  @func()
  async sizeBaseline(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<File> {
    const figures = await measureSizes(await loadProject(source));
    return dag
      .directory()
      .withNewFile("size-baseline.json", serializeBaseline(figures))
      .file("size-baseline.json");
  }

  /**
   * The repository's linter (its lint script, ESLint, xo or Biome) and its format check (its format-check script, Prettier or Biome).
   *
   * @example dagger call lint
   * @param source Repository to lint (defaults to the module's context directory).
   */
  @func({ cache: "10m" })
  @check()
  async lint(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("lint", () => lintGates(project)),
      ReportFormat.text,
    );
  }

  /**
   * Type-check the repository: its typecheck script, or tsc --noEmit with its tsconfig.json.
   *
   * @example dagger call typecheck
   * @param source Repository to type-check (defaults to the module's context directory).
   */
  @func({ cache: "10m" })
  @check()
  async typecheck(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("typecheck", () => typecheckGates(project)),
      ReportFormat.text,
    );
  }

  /**
   * Run the repository's test suite as it runs it (vitest, jest, node:test, mocha or ava; Postgres bound when configured) with coverage where it measures it, and print the test and coverage gates; fails on a failing test or coverage under the threshold.
   *
   * @example dagger call test
   * @param source Repository to test (defaults to the module's context directory).
   */
  @func({ cache: "10m" })
  @check()
  async test(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("tests", async () => (await runTests(project)).gates),
      ReportFormat.text,
    );
  }

  /**
   * The coverage report (HTML, JSON summary) of the test run, whatever its outcome.
   *
   * @example dagger call coverage export --path coverage
   * @param source Repository to test (defaults to the module's context directory).
   */
  @func()
  async coverage(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<Directory> {
    return (await runTests(await loadProject(source))).coverage;
  }

  /**
   * Build the service image from the repository's Dockerfile and print its gates: it builds, runs as non-root and declares a HEALTHCHECK.
   *
   * @example dagger call build
   * @param source Repository to build (defaults to the module's context directory).
   */
  @func({ cache: "10m" })
  @check()
  async build(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("build", () => imageGates(project)),
      ReportFormat.text,
    );
  }

  /**
   * The service image built from the repository's Dockerfile, to export, publish, run or open a shell in.
   *
   * @example dagger call image --version 1.2.3 export --path image.tar
   * @param source Repository to build (defaults to the module's context directory).
   * @param version Version baked into the image for GET /version.
   * @param gitSha Git commit baked into the image for GET /version.
   */
  @func()
  async image(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    version = "dev",
    gitSha = "unknown",
  ): Promise<Container> {
    return serviceImage(await loadProject(source), { version, gitSha });
  }

  /**
   * The container every check runs in: the Node image of the repository's Node version, dependencies installed with its package manager from its lockfile, the source laid on top.
   *
   * @example dagger call workspace terminal
   * @param source Repository to prepare (defaults to the module's context directory).
   */
  @func()
  async workspace(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<Container> {
    return withDependencies(await loadProject(source));
  }

  /**
   * Gantry's hardened default Dockerfile for this repository (multi-stage, production dependencies only, non-root, HEALTHCHECK), with its package manager and Node version filled in; export it and commit it, or set build.defaultDockerfile to build with it.
   *
   * @example dagger call dockerfile export --path Dockerfile
   * @param source Repository to write the Dockerfile for (defaults to the module's context directory).
   */
  @func()
  async dockerfile(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<File> {
    return defaultDockerfileFile(await loadProject(source));
  }

  /**
   * The compiled output of the repository's build script.
   *
   * @example dagger call build-artifacts export --path dist
   * @param source Repository to compile (defaults to the module's context directory).
   */
  @func()
  async buildArtifacts(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<Directory> {
    return buildArtifacts(await loadProject(source));
  }

  /**
   * Dependency audit, gitleaks secret scan, Trivy image and filesystem scans, and the license allow-list.
   *
   * @example dagger call scan
   * @param source Repository to scan (defaults to the module's context directory).
   */
  @func({ cache: "10m" })
  @check()
  async scan(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("scan", () => scanGates(project)),
      ReportFormat.text,
    );
  }

  /**
   * Run the service image with its Postgres and drive it with the configured load runner (k6 or Artillery); fails when a p95, p99, error-rate or throughput gate is crossed. The stress profile raises the arrival rate step by step and reports the breaking point.
   *
   * @example dagger call load-test --profile stress
   * @param source Repository whose image and load script to use (defaults to the module's context directory).
   * @param profile Load profile: smoke (seconds, the one ci runs), load (ramp up, then sustained), spike, soak, or stress (rising steps until the SLO breaks).
   */
  @func({ cache: "session" })
  @check()
  async loadTest(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    profile: LoadProfile = LoadProfile.smoke,
  ): Promise<string> {
    return loadTestReport(await loadProject(source), profile);
  }

  /**
   * Lighthouse on each page in lighthouse.pages of the app started as a service (its Postgres bound and migrated, as load-test starts it), or on lighthouse.staticDir served as a static site; fails when a page scores under lighthouse.minScores, naming its largest failing audits.
   *
   * @example dagger call lighthouse
   * @param source Repository whose app or static site to audit (defaults to the module's context directory).
   */
  @func({ cache: "session" })
  @check()
  async lighthouse(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const project = await loadProject(source);
    return reportOrThrow(
      await timeStage("lighthouse", () => lighthouseGates(project)),
      ReportFormat.text,
    );
  }

  /**
   * Release the Conventional Commits since the last tag: next version, CHANGELOG.md, release commit and tag pushed to origin, GitHub release, published image and webhook announcement; a dry run (the default) only prints the plan, and a rerun completes what a failed run left undone.
   *
   * @example dagger call release --dry-run=false --github-token env:GITHUB_TOKEN --image ghcr.io/acme/app --registry-username acme --registry-password env:GITHUB_TOKEN
   * @param source Repository to release, with its full git history (defaults to the module's context directory, .git included).
   * @param dryRun Print the next version, the release notes and every step without changing anything; --dry-run=false releases.
   * @param githubToken Token that pushes the release commit and tag and creates the GitHub release (contents: write); required with --dry-run=false. Only sent over HTTPS: an http:// origin or --github-api-url is refused with it.
   * @param prerelease Prerelease channel, e.g. rc for 1.3.0-rc.1, 1.3.0-rc.2, …
   * @param version Release this version instead of the one the commits call for.
   * @param image Image repository to publish the release image to, without tag (e.g. ghcr.io/acme/app); no image is published without it.
   * @param registryUsername User name for --registry-password.
   * @param registryPassword Password or token of the image registry.
   * @param webhookUrl Slack- or Discord-compatible incoming webhook that announces the release.
   * @param repository GitHub repository as owner/name, in the characters GitHub allows (defaults to the one in the origin URL).
   * @param githubApiUrl GitHub REST API base URL; https://HOST/api/v3 for GitHub Enterprise.
   * @param githubApiService Tunnel to the GitHub API, bound under the host name of --github-api-url (e.g. tcp://localhost:8443 for an Enterprise host reachable only from the caller).
   * @param gitRemoteService Tunnel to the git server, bound under the host name of the origin URL (e.g. tcp://localhost:8443).
   * @param caCertificate PEM certificate authority that also signs the HTTPS certificates of origin and --github-api-url (a GitHub Enterprise host on a private CA); trusted for origin's host and the API calls.
   */
  @func({ cache: "never" })
  async release(
    @argument({ defaultPath: "/", ignore: RELEASE_SOURCE_IGNORE })
    source: Directory,
    dryRun = true,
    githubToken?: Secret,
    prerelease?: string,
    version?: string,
    image?: string,
    registryUsername?: string,
    registryPassword?: Secret,
    webhookUrl?: Secret,
    repository?: string,
    githubApiUrl = DEFAULT_GITHUB_API_URL,
    githubApiService?: Service,
    gitRemoteService?: Service,
    caCertificate?: File,
  ): Promise<string> {
    return release({
      source,
      dryRun,
      githubToken,
      prerelease,
      version,
      image,
      registryUsername,
      registryPassword,
      webhookUrl,
      repository,
      githubApiUrl,
      githubApiService,
      gitRemoteService,
      caCertificate,
    });
  }

  /**
   * Name an environment's target once (its Docker host, environment, preview name, env file); its functions deploy, rollback, destroy, backup, restore and restore-test act on it.
   *
   * @example dagger call target --docker-socket /var/run/docker.sock --env staging --app-env file:./staging.env deploy --image ghcr.io/acme/app --version 1.2.3
   * @example dagger call target --docker-host env:DOCKER_HOST --docker-ssh-key file:./deploy_key --docker-known-hosts "$(cat ./deploy_known_hosts)" --env production --app-env file:./production.env rollback --confirm
   * @param env Environment: development, staging, production, preview or one configured under "environments".
   * @param source Repository whose gantry.config.json describes the environment, and that deploy builds (defaults to the module's context directory).
   * @param name Preview instance name, required with --env preview (e.g. pr-123).
   * @param appEnv Env file (KEY=value lines, Docker --env-file format) the app and its migrations start with, e.g. DATABASE_URL; backup and restore find the database in it (postgres.urlEnv).
   * @param dockerSocket Socket of the target's Docker daemon (e.g. /var/run/docker.sock); or give --docker-host.
   * @param dockerHost DOCKER_HOST URL of a remote target's daemon, instead of --docker-socket: ssh://deploy@host with --docker-ssh-key, or tcp://host:2376 with --docker-tls-* (plain tcp is refused).
   * @param dockerSshKey Private key for an ssh:// --docker-host.
   * @param dockerKnownHosts The target's known_hosts lines for an ssh:// --docker-host, taken from the host itself or checked against its fingerprint; its host key is always verified.
   * @param dockerTlsCa CA certificate (PEM) the tcp:// --docker-host daemon's certificate is verified against.
   * @param dockerTlsCert Client certificate (PEM) for a tcp:// --docker-host daemon running with --tlsverify.
   * @param dockerTlsKey Private key (PEM) of --docker-tls-cert.
   */
  @func()
  target(
    env: string,
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    name?: string,
    appEnv?: Secret,
    dockerSocket?: Socket,
    dockerHost?: Secret,
    dockerSshKey?: Secret,
    dockerKnownHosts?: string,
    dockerTlsCa?: Secret,
    dockerTlsCert?: Secret,
    dockerTlsKey?: Secret,
  ): Target {
    return Object.assign(new Target(), {
      env,
      source,
      name,
      appEnv,
      dockerSocket,
      dockerHost,
      dockerSshKey,
      dockerKnownHosts,
      dockerTlsCa,
      dockerTlsCert,
      dockerTlsKey,
    });
  }
}
