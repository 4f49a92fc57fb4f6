import {
  dag,
  type Container,
  type Directory,
  type File,
  type Secret,
  type Service,
} from "@dagger.io/dagger";
import { ReleaseInputError } from "../core/release/errors.js";
import {
  GIT_TAG_LIST_ARGS,
  gitLogArgs,
  latestTag,
} from "../core/release/gitLog.js";
import {
  parseApiUrl,
  releaseEndpoints,
  releaseRequestBody,
  webhookPayload,
  type ReleaseEndpoints,
} from "../core/release/github.js";
import { imageRegistry, isMissingImageError } from "../core/release/image.js";
import {
  planRelease,
  type NoRelease,
  type ReleasePlan,
} from "../core/release/plan.js";
import { parseRemoteTags } from "../core/release/remote.js";
import { parseRepository } from "../core/release/repository.js";
import {
  renderFailure,
  renderNoRelease,
  renderSummary,
  type StepOutcome,
} from "../core/release/summary.js";
import { serviceImage } from "./build.js";
import {
  commitRelease,
  openCheckout,
  readGit,
  releaseCommitAtHead,
  remoteGit,
  type Checkout,
} from "./release/git.js";
import {
  send,
  withGithubToken,
  withSecretUrl,
  type HttpResponse,
} from "./release/http.js";
import { loadProject, nodeBase, SRC, type Project } from "./workspace.js";

/**
 * The release reads the history and commits on top of it, so only what is never committed is left out: a tracked
 * file missing from the upload would read as deleted, a dirty work tree.
 */
export const RELEASE_SOURCE_IGNORE = [
  "**/node_modules",
  "**/dist",
  "**/coverage",
  "dagger/sdk",
  "test/engine/.state",
];

/** The arguments of `dagger call release` (see its documentation in index.ts). */
export interface ReleaseRequest {
  source: Directory;
  dryRun: boolean;
  githubToken?: Secret;
  prerelease?: string;
  version?: string;
  image?: string;
  registryUsername?: string;
  registryPassword?: Secret;
  webhookUrl?: Secret;
  repository?: string;
  githubApiUrl: string;
  githubApiService?: Service;
  gitRemoteService?: Service;
  caCertificate?: File;
}

/** One step of the release with its state read beforehand: `alreadyDone` says how a previous run was found to have done it. */
interface Step {
  action: string;
  alreadyDone: string | null;
  /** Does the step; only called outside a dry run, where the token is required. */
  perform: (token: Secret) => Promise<string | undefined>;
}

/** Plans the release from the history and, unless it is a dry run, performs every step a previous run did not complete. */
export async function release(request: ReleaseRequest): Promise<string> {
  validateArguments(request);
  const project = await loadProject(request.source);
  const opened = await openCheckout(project, {
    remoteService: request.gitRemoteService,
    dryRun: request.dryRun,
    withToken: request.githubToken !== undefined,
    caCertificate: request.caCertificate,
  });
  const repository = request.repository || opened.remote.repository;
  const { checkout, plan } = await planAtHead(opened, repository, request);
  if (plan.kind === "no-release") return renderNoRelease(plan);

  const { dryRun, githubToken, image, webhookUrl, registryPassword } = request;
  const endpoints = releaseEndpoints(
    request.githubApiUrl,
    repository,
    plan.tag,
  );
  const api = (await nodeBase(project))
    .with(bindService(endpoints.hostname, request.githubApiService))
    .with(trustCertificate(request.caCertificate));
  const github = (token: Secret) => withGithubToken(api, token);
  // Every step's state is read before any step runs, so a rerun after a partial failure only does what is missing.
  // Reading it needs the credentials: a dry run without them plans every step.
  const originTags =
    githubToken && !checkout.remote.local
      ? await readOriginTags(checkout, githubToken)
      : new Map<string, string>();
  const previousRun = await findPreviousRun(
    checkout,
    plan,
    originTags,
    githubToken,
  );
  const releaseRepo =
    previousRun?.container ?? (await commitRelease(checkout.container, plan));
  const existingRelease = githubToken
    ? await findGithubRelease(github(githubToken), endpoints)
    : null;
  const registry = image ? registryAccess(image, request) : null;
  // Like origin and GitHub, a dry run reads the registry only when given its credentials.
  const canReadRegistry = !dryRun || registryPassword !== undefined;
  const published =
    registry !== null &&
    canReadRegistry &&
    (await isPublished(registry, `${image}:${plan.version}`));

  const steps: Step[] = [
    {
      action: `commit "${plan.commitMessage}" (version bump, ${plan.version} section of CHANGELOG.md) and tag ${plan.tag}`,
      alreadyDone:
        previousRun &&
        `${plan.tag} already tags the release commit ${previousRun.where}`,
      perform: async () =>
        `commit ${await readGit(releaseRepo, ["rev-parse", "--short", "HEAD"])}`,
    },
    {
      action: `push ${plan.tag} and the release commit to ${checkout.branch} on ${checkout.remote.pushUrl}`,
      alreadyDone: originTags.has(plan.tag) ? `origin has ${plan.tag}` : null,
      perform: async (token) => {
        const refs = [
          `HEAD:refs/heads/${checkout.branch}`,
          `refs/tags/${plan.tag}`,
        ];
        await remoteGit(releaseRepo, token, [
          "push",
          "--atomic",
          "--no-verify",
          "origin",
          ...refs,
        ]);
        return undefined;
      },
    },
    {
      action: `create the GitHub ${plan.isPrerelease ? "prerelease" : "release"} ${plan.tag} of ${repository}`,
      alreadyDone: existingRelease && `exists: ${existingRelease}`,
      perform: (token) => createGithubRelease(github(token), endpoints, plan),
    },
  ];
  if (image && registry) {
    steps.push({
      action: `build the image and publish ${image}:${plan.imageTags.join(", :")}`,
      alreadyDone: published
        ? `${image}:${plan.version} is in the registry`
        : null,
      perform: async () =>
        publishImage(
          await releaseImage(project, releaseRepo, plan, registry),
          plan,
          image,
        ),
    });
  }
  if (webhookUrl) {
    steps.push({
      action: "announce the release on the webhook",
      alreadyDone: steps.every((step) => step.alreadyDone !== null)
        ? "every step was done by a previous run, which announced it"
        : null,
      perform: async (token) => {
        const releaseUrl = await findGithubRelease(github(token), endpoints);
        return announceRelease(
          withSecretUrl(api, webhookUrl),
          webhookPayload(repository, plan, releaseUrl),
        );
      },
    });
  }
  // The image is built before anything is pushed: a build that fails leaves origin, GitHub and the registry untouched.
  if (registry && !published && !dryRun)
    await (await releaseImage(project, releaseRepo, plan, registry)).sync();
  const outcomes = await runSteps(steps, plan, githubToken);
  const remarks = [
    ...(dryRun && !githubToken
      ? [
          "origin and GitHub were not checked for a previous partial run: no --github-token",
        ]
      : []),
    ...(checkout.remote.local
      ? [
          `origin is the local path ${checkout.remote.pushUrl}: the release itself needs an HTTPS or SSH origin to push to`,
        ]
      : []),
  ];
  return renderSummary(plan, outcomes, remarks);
}

function validateArguments(request: ReleaseRequest): void {
  if (!request.dryRun && !request.githubToken) {
    throw new ReleaseInputError(
      "--github-token is required with --dry-run=false: it pushes the release commit and tag and creates the GitHub release",
    );
  }
  if (Boolean(request.registryUsername) !== Boolean(request.registryPassword)) {
    throw new ReleaseInputError(
      "--registry-username and --registry-password go together",
    );
  }
  if (request.image) imageRegistry(request.image);
  // Before anything runs: the token only ever goes over HTTPS, and owner/name only ever addresses a repository.
  parseApiUrl(request.githubApiUrl, {
    withToken: request.githubToken !== undefined,
  });
  if (request.repository) parseRepository(request.repository, "--repository");
}

/**
 * The checkout to release from and its plan. When HEAD is the release commit of a tag (a checkout of the branch after
 * an interrupted run pushed it), that release is planned again from its parent, so the run finishes its missing steps
 * instead of finding nothing to release.
 */
async function planAtHead(
  opened: Checkout,
  repository: string,
  request: ReleaseRequest,
): Promise<{ checkout: Checkout; plan: ReleasePlan | NoRelease }> {
  const atRelease = await releaseCommitAtHead(opened);
  if (atRelease) {
    const plan = await planFromHistory(atRelease.parent, repository, request);
    if (plan.kind === "release" && plan.tag === atRelease.tag)
      return { checkout: atRelease.parent, plan };
  }
  return {
    checkout: opened,
    plan: await planFromHistory(opened, repository, request),
  };
}

async function planFromHistory(
  checkout: Checkout,
  repository: string,
  request: ReleaseRequest,
): Promise<ReleasePlan | NoRelease> {
  const prerelease = request.prerelease || undefined;
  // Only tags in HEAD's history count: the tag an interrupted run of this release left is on a child of HEAD.
  const [tagList, allTagList] = await Promise.all([
    readGit(checkout.container, [...GIT_TAG_LIST_ARGS, "--merged", "HEAD"]),
    readGit(checkout.container, [...GIT_TAG_LIST_ARGS]),
  ]);
  const previous = latestTag(tagList, { prerelease });
  const log = await readGit(
    checkout.container,
    gitLogArgs(previous?.name ?? null),
  );
  const options = {
    prerelease,
    forcedVersion: request.version || undefined,
    repository,
    host: checkout.remote.webHost,
    date: new Date().toISOString().slice(0, 10),
    image: request.image || undefined,
    dryRun: request.dryRun,
  };
  return planRelease({ tagList, allTagList, log, options });
}

// Where --ca-certificate and the CAs Node already trusted are put together in the Node image.
const NODE_CA_FILE = "/etc/gantry/node-extra-ca.pem";

/** The Node container trusting `certificate` too, besides the bundle nodeBase may have pointed it at. */
function trustCertificate(certificate: File | undefined) {
  return (container: Container) =>
    certificate
      ? container
          .withFile("/etc/gantry/ca-certificate.pem", certificate)
          .withExec([
            "sh",
            "-c",
            'cat ${NODE_EXTRA_CA_CERTS:-} "$1" > "$2"',
            "sh",
            "/etc/gantry/ca-certificate.pem",
            NODE_CA_FILE,
          ])
          .withEnvVariable("NODE_EXTRA_CA_CERTS", NODE_CA_FILE)
      : container;
}

function bindService(hostname: string, service: Service | undefined) {
  return (container: Container) =>
    service ? container.withServiceBinding(hostname, service) : container;
}

async function readOriginTags(
  checkout: Checkout,
  token: Secret,
): Promise<Map<string, string>> {
  const { stdout } = await remoteGit(checkout.container, token, [
    "ls-remote",
    "--tags",
    "origin",
  ]);
  return parseRemoteTags(stdout);
}

/**
 * The release commit a previous, interrupted run of this same release made (tag present locally or on origin),
 * checked out; null when the tag is new. A tag of the same name on anything else is an error, not a resume.
 */
async function findPreviousRun(
  checkout: Checkout,
  plan: ReleasePlan,
  originTags: Map<string, string>,
  token: Secret | undefined,
): Promise<{ container: Container; where: string } | null> {
  const { container, head } = checkout;
  const tagRef = `refs/tags/${plan.tag}`;
  const isLocal =
    (await readGit(container, ["tag", "--list", plan.tag])) !== "";
  const onOrigin = originTags.has(plan.tag);
  if (!isLocal && !onOrigin) return null;
  // originTags is only read with a token, so a tag found only on origin always comes with one.
  const repo =
    isLocal || !token
      ? container
      : (
          await remoteGit(container, token, [
            "fetch",
            "--quiet",
            "--no-tags",
            "origin",
            `+${tagRef}:${tagRef}`,
          ])
        ).container;
  const [parent, subject] = await Promise.all([
    readGit(repo, ["rev-parse", `${tagRef}^{commit}^`]),
    readGit(repo, ["log", "-1", "--format=%s", `${tagRef}^{commit}`]),
  ]);
  const where = onOrigin ? "on origin" : "locally";
  if (parent !== head || subject !== plan.commitMessage) {
    throw new ReleaseInputError(
      `tag ${plan.tag} already exists ${where} and is not the release commit of HEAD (${head.slice(0, 7)}): ` +
        "release another version with --version, or delete the tag if it is a mistake",
    );
  }
  const checkedOut = repo.withExec([
    "git",
    "checkout",
    "--quiet",
    "--detach",
    tagRef,
  ]);
  return { container: checkedOut, where };
}

async function findGithubRelease(
  github: Container,
  endpoints: ReleaseEndpoints,
): Promise<string | null> {
  const response = await send(
    github,
    { method: "GET", url: endpoints.byTag },
    "GitHub release lookup",
  );
  if (response.status === 404) return null;
  return htmlUrl(expectStatus(response, 200, "looking up the release"));
}

async function createGithubRelease(
  github: Container,
  endpoints: ReleaseEndpoints,
  plan: ReleasePlan,
): Promise<string> {
  const response = await send(
    github,
    { method: "POST", url: endpoints.create, body: releaseRequestBody(plan) },
    "GitHub release creation",
  );
  return htmlUrl(expectStatus(response, 201, "creating the release"));
}

function expectStatus(
  response: HttpResponse,
  status: number,
  what: string,
): HttpResponse {
  if (response.status !== status)
    throw new Error(
      `GitHub API answered ${response.status} ${what}: ${response.body.slice(0, 500)}`,
    );
  return response;
}

function htmlUrl(response: HttpResponse): string {
  return (JSON.parse(response.body) as { html_url: string }).html_url;
}

/** Applies the registry credentials, when given, to a container that pulls or publishes `image`. */
type RegistryAccess = (container: Container) => Container;

function registryAccess(
  image: string,
  { registryUsername, registryPassword }: ReleaseRequest,
): RegistryAccess {
  const address = imageRegistry(image);
  return (container) =>
    registryUsername && registryPassword
      ? container.withRegistryAuth(address, registryUsername, registryPassword)
      : container;
}

async function isPublished(
  registry: RegistryAccess,
  reference: string,
): Promise<boolean> {
  try {
    await dag.container().with(registry).from(reference).sync();
    return true;
  } catch (error) {
    if (isMissingImageError((error as Error).message)) return false;
    throw error;
  }
}

/** The service image built from the release commit's tree; lazy, and the same build each time it is asked for. */
async function releaseImage(
  project: Project,
  releaseRepo: Container,
  plan: ReleasePlan,
  registry: RegistryAccess,
): Promise<Container> {
  const tree = releaseRepo.directory(SRC).withoutDirectory(".git");
  const gitSha = await readGit(releaseRepo, ["rev-parse", "HEAD"]);
  return serviceImage(
    { ...project, source: tree },
    { version: plan.version, gitSha },
  ).with(registry);
}

/** Publishes every tag of `built`; returns the version tag's digest. */
async function publishImage(
  built: Container,
  plan: ReleasePlan,
  image: string,
): Promise<string> {
  const [versionTag, ...aliases] = plan.imageTags;
  // One tag after another: the first uploads the layers, the others only add manifests. Concurrent pushes of the same
  // new layers race in some registries ("blob unknown to registry" from the distribution registry).
  // The version tag goes last: a rerun takes its presence as "published".
  for (const tag of aliases) await built.publish(`${image}:${tag}`);
  return built.publish(`${image}:${versionTag}`);
}

async function announceRelease(
  webhook: Container,
  payload: unknown,
): Promise<undefined> {
  const response = await send(
    webhook,
    { method: "POST", body: payload },
    "webhook notification",
  );
  if (response.status < 200 || response.status >= 300)
    throw new Error(
      `the webhook answered ${response.status}: ${response.body.slice(0, 200)}`,
    );
  return undefined;
}

/** Performs the steps not already done (none in a dry run); a failure lists what was done, since a rerun resumes from there. */
async function runSteps(
  steps: Step[],
  plan: ReleasePlan,
  token: Secret | undefined,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const { action, alreadyDone, perform } of steps) {
    if (alreadyDone !== null) {
      outcomes.push({ action, status: "already done", detail: alreadyDone });
    } else if (plan.dryRun || !token) {
      // validateArguments requires the token outside a dry run.
      outcomes.push({ action, status: "would do" });
    } else {
      try {
        outcomes.push({ action, status: "done", detail: await perform(token) });
      } catch (error) {
        throw new Error(
          renderFailure(
            plan.tag,
            action,
            (error as Error).message,
            outcomes.map((outcome) => outcome.action),
          ),
          { cause: error },
        );
      }
    }
  }
  return outcomes;
}
