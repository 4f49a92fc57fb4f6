import { dag, type Container, type Secret } from "@dagger.io/dagger";
import {
  imageRegistry,
  isMissingImageError,
} from "../../core/release/image.js";
import type { ReleasePlan } from "../../core/release/plan.js";
import { serviceImage } from "../build.js";
import { SRC, type Project } from "../workspace.js";
import { readGit } from "./git.js";

/** Applies the registry credentials, when given, to a container that pulls or publishes the image. */
export type RegistryAccess = (container: Container) => Container;

export function registryAccess(
  image: string,
  username: string | undefined,
  password: Secret | undefined,
): RegistryAccess {
  const address = imageRegistry(image);
  return (container) =>
    username && password
      ? container.withRegistryAuth(address, username, password)
      : container;
}

/** Whether the registry has `reference`; any other failure to pull it is an error. */
export async function isPublished(
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
export async function releaseImage(
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
export async function publishImage(
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
