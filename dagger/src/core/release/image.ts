import { InputError } from "../inputError.js";

const DOCKER_HUB = "docker.io";
// Lower-case path components separated by `/`, no tag or digest: the release picks the tags.
const REPOSITORY =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Validates `--image` (a repository without tag, e.g. ghcr.io/acme/app) and returns the registry to authenticate against. */
export function imageRegistry(image: string): string {
  const [first, ...rest] = image.split("/");
  // Docker's rule: the first component names a registry only when it looks like a host (a dot, a port or localhost).
  const hasRegistry =
    rest.length > 0 &&
    (first.includes(".") || first.includes(":") || first === "localhost");
  const repository = hasRegistry ? rest.join("/") : image;
  if (!REPOSITORY.test(repository)) {
    throw new InputError(
      `--image must be an image repository without tag or digest, such as ghcr.io/acme/app, got "${image}"`,
    );
  }
  return hasRegistry ? first : DOCKER_HUB;
}

/** A registry login given as a user name and a password: both or neither, else an error naming the two flags. */
export function credentialPair<Password>(
  username: string | undefined,
  password: Password | undefined,
  flags: string,
): { username: string; password: Password } | undefined {
  if (Boolean(username) !== Boolean(password))
    throw new InputError(`${flags} go together`);
  return username && password ? { username, password } : undefined;
}

/** Registry errors meaning the tag is not there (as opposed to auth or network failures). */
export function isMissingImageError(message: string): boolean {
  return /manifest unknown|name unknown|not found|404/i.test(message);
}
