import semver from "semver";
import type { PackageJson } from "./packageJson.js";

/** The first Prettier with a result cache (--cache, --cache-location and --cache-strategy came together). */
const PRETTIER_CACHE_SINCE = "2.7.0";

/**
 * Flags that keep Prettier's verdicts in `location` between runs, keyed by each file's content and Prettier's own
 * options and version, so a file unchanged since it last passed is not formatted again. None when the declared Prettier
 * may predate the cache, or when the repository's arguments already choose a cache of their own.
 */
export function prettierCacheFlags(
  packageJson: PackageJson,
  args: string[],
  location: string,
): string[] {
  if (args.some((arg) => arg.startsWith("--cache"))) return [];
  const declared =
    packageJson.devDependencies?.prettier ?? packageJson.dependencies?.prettier;
  const range =
    typeof declared === "string" ? semver.validRange(declared) : null;
  const lowest = range === null ? null : semver.minVersion(range);
  if (lowest === null || semver.lt(lowest, PRETTIER_CACHE_SINCE)) return [];
  return [
    "--cache",
    "--cache-strategy",
    "content",
    "--cache-location",
    location,
  ];
}
