import { InputError } from "../inputError.js";

// GitHub's rules: an account name is letters, digits and single inner hyphens, up to 39 characters (older accounts may
// have kept a hyphen at the end or a double one); a repository name is up to 100 letters, digits, ".", "_" and "-".
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `owner/name` split in two, refused unless both parts are names GitHub allows: the repository goes into API paths
 * and links, where `..`, `/`, `?` or `%` would address something else. `source` names where it came from in the error.
 */
export function parseRepository(
  repository: string,
  source: string,
): [owner: string, name: string] {
  const parts = repository.split("/");
  const [owner = "", name = ""] = parts;
  if (
    parts.length !== 2 ||
    !OWNER.test(owner) ||
    !REPOSITORY_NAME.test(name) ||
    name === "." ||
    name === ".."
  ) {
    throw new InputError(
      `${source} must be a GitHub repository as owner/name (the owner letters, digits and "-"; the name letters, digits, ".", "_" and "-"), got ${JSON.stringify(repository)}`,
    );
  }
  return [owner, name];
}

/** Whether `repository` is an owner/name GitHub allows. */
export function isRepository(repository: string): boolean {
  try {
    parseRepository(repository, "repository");
    return true;
  } catch {
    return false;
  }
}
