import type {
  Container,
  Directory,
  File,
  Secret,
  Service,
} from "@dagger.io/dagger";
import { InputError } from "../core/inputError.js";
import {
  parseApiUrl,
  releaseEndpoints,
  webhookPayload,
} from "../core/release/github.js";
import { credentialPair, imageRegistry } from "../core/release/image.js";
import type { NoRelease, ReleasePlan } from "../core/release/plan.js";
import { parseRepository } from "../core/release/repository.js";
import { renderNoRelease, renderSummary } from "../core/release/summary.js";
import { send, trustCertificate, withSecretUrl } from "./http.js";
import {
  commitRelease,
  openCheckout,
  readGit,
  remoteGit,
  type Checkout,
} from "./release/git.js";
import { GithubReleases } from "./release/github.js";
import {
  findPreviousRun,
  planAtHead,
  readOriginTags,
  type PreviousRun,
} from "./release/history.js";
import {
  isPublished,
  publishImage,
  registryAccess,
  releaseImage,
  type RegistryAccess,
} from "./release/publish.js";
import { runSteps, type Step } from "./release/steps.js";
import { loadProject, nodeBase, type Project } from "./workspace.js";

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

/** A planned release and what its steps act on. */
interface Release {
  kind: "release";
  request: ReleaseRequest;
  project: Project;
  checkout: Checkout;
  plan: ReleasePlan;
  repository: string;
  /** The Node container that reaches the GitHub API and the webhook. */
  client: Container;
  github: GithubReleases;
}

/** What a previous, interrupted run of the release already did, read before any step runs. */
interface DoneBefore {
  previousRun: PreviousRun | null;
  originTags: Map<string, string>;
  githubRelease: string | null;
}

/** The image to publish, where to, and whether the registry has it already. */
interface ImageTarget {
  image: string;
  registry: RegistryAccess;
  published: boolean;
}

/** Plans the release from the history and, unless it is a dry run, performs every step a previous run did not complete. */
export async function release(request: ReleaseRequest): Promise<string> {
  validateArguments(request);
  const planned = await planFromSource(request);
  if (planned.kind === "no-release") return renderNoRelease(planned);
  const { project, checkout, plan } = planned;

  // Every step's state is read before any step runs, so a rerun after a partial failure only does what is missing.
  const done = await readDoneBefore(planned);
  const releaseRepo =
    done.previousRun?.container ??
    (await commitRelease(checkout.container, plan));
  const image = request.image
    ? await imageTarget(planned, request.image)
    : null;
  const buildImage = (target: ImageTarget) =>
    releaseImage(project, releaseRepo, plan, target.registry);

  const steps: Step[] = [
    commitStep(planned, done, releaseRepo),
    pushStep(planned, done, releaseRepo),
    githubReleaseStep(planned, done),
  ];
  if (image) steps.push(publishStep(planned, image, buildImage));
  if (request.webhookUrl)
    steps.push(announceStep(planned, request.webhookUrl, steps));
  // The image is built before anything is pushed: a build that fails leaves origin, GitHub and the registry untouched.
  if (image && !image.published && !request.dryRun)
    await (await buildImage(image)).sync();
  const outcomes = await runSteps(steps, plan, request.githubToken);
  return renderSummary(plan, outcomes, remarks(request, checkout));
}

function validateArguments(request: ReleaseRequest): void {
  if (!request.dryRun && !request.githubToken) {
    throw new InputError(
      "--github-token is required with --dry-run=false: it pushes the release commit and tag and creates the GitHub release",
    );
  }
  credentialPair(
    request.registryUsername,
    request.registryPassword,
    "--registry-username and --registry-password",
  );
  if (request.image) imageRegistry(request.image);
  // Before anything runs: the token only ever goes over HTTPS, and owner/name only ever addresses a repository.
  parseApiUrl(request.githubApiUrl, {
    withToken: request.githubToken !== undefined,
  });
  if (request.repository) parseRepository(request.repository, "--repository");
}

/** Opens the repository and plans its release, with the HTTP client the GitHub and webhook steps use. */
async function planFromSource(
  request: ReleaseRequest,
): Promise<Release | NoRelease> {
  const project = await loadProject(request.source);
  const opened = await openCheckout(project, {
    remoteService: request.gitRemoteService,
    dryRun: request.dryRun,
    withToken: request.githubToken !== undefined,
    caCertificate: request.caCertificate,
  });
  const repository = request.repository || opened.remote.repository;
  const { checkout, plan } = await planAtHead(opened, {
    ...request,
    repository,
  });
  if (plan.kind === "no-release") return plan;
  const endpoints = releaseEndpoints(
    request.githubApiUrl,
    repository,
    plan.tag,
  );
  const client = (await nodeBase(project))
    .with((node) =>
      request.githubApiService
        ? node.withServiceBinding(endpoints.hostname, request.githubApiService)
        : node,
    )
    .with(trustCertificate(request.caCertificate));
  return {
    kind: "release",
    request,
    project,
    checkout,
    plan,
    repository,
    client,
    github: new GithubReleases(client, endpoints),
  };
}

/** Reading origin and GitHub needs the token: a dry run without it plans every step. */
async function readDoneBefore({
  request: { githubToken },
  checkout,
  plan,
  github,
}: Release): Promise<DoneBefore> {
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
  const githubRelease = githubToken ? await github.find(githubToken) : null;
  return { previousRun, originTags, githubRelease };
}

/** Like origin and GitHub, a dry run reads the registry only when given its credentials. */
async function imageTarget(
  { request, plan }: Release,
  image: string,
): Promise<ImageTarget> {
  const registry = registryAccess(
    image,
    request.registryUsername,
    request.registryPassword,
  );
  const canRead = !request.dryRun || request.registryPassword !== undefined;
  const published =
    canRead && (await isPublished(registry, `${image}:${plan.version}`));
  return { image, registry, published };
}

function commitStep(
  { plan }: Release,
  { previousRun }: DoneBefore,
  releaseRepo: Container,
): Step {
  return {
    action: `commit "${plan.commitMessage}" (version bump, ${plan.version} section of CHANGELOG.md) and tag ${plan.tag}`,
    alreadyDone:
      previousRun &&
      `${plan.tag} already tags the release commit ${previousRun.where}`,
    perform: async () =>
      `commit ${await readGit(releaseRepo, ["rev-parse", "--short", "HEAD"])}`,
  };
}

function pushStep(
  { plan, checkout }: Release,
  { originTags }: DoneBefore,
  releaseRepo: Container,
): Step {
  return {
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
  };
}

function githubReleaseStep(
  { plan, repository, github }: Release,
  { githubRelease }: DoneBefore,
): Step {
  return {
    action: `create the GitHub ${plan.isPrerelease ? "prerelease" : "release"} ${plan.tag} of ${repository}`,
    alreadyDone: githubRelease && `exists: ${githubRelease}`,
    perform: (token) => github.create(token, plan),
  };
}

function publishStep(
  { plan }: Release,
  target: ImageTarget,
  build: (target: ImageTarget) => Promise<Container>,
): Step {
  const { image } = target;
  return {
    action: `build the image and publish ${image}:${plan.imageTags.join(", :")}`,
    alreadyDone: target.published
      ? `${image}:${plan.version} is in the registry`
      : null,
    perform: async () => publishImage(await build(target), plan, image),
  };
}

/** The webhook hears of the release once: when every earlier step was already done, the run that did them announced it. */
function announceStep(
  { plan, repository, client, github }: Release,
  webhookUrl: Secret,
  earlier: Step[],
): Step {
  return {
    action: "announce the release on the webhook",
    alreadyDone: earlier.every((step) => step.alreadyDone !== null)
      ? "every step was done by a previous run, which announced it"
      : null,
    perform: async (token) => {
      const releaseUrl = await github.find(token);
      const response = await send(
        withSecretUrl(client, webhookUrl),
        {
          method: "POST",
          body: webhookPayload(repository, plan, releaseUrl),
        },
        "webhook notification",
      );
      if (!response.ok)
        throw new Error(
          `the webhook answered ${response.status}: ${response.body.slice(0, 200)}`,
        );
      return undefined;
    },
  };
}

function remarks(request: ReleaseRequest, checkout: Checkout): string[] {
  return [
    ...(request.dryRun && !request.githubToken
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
}
