import satisfies from "spdx-satisfies";
import type { GateVerdict } from "../gates.js";

/** Each production dependency ("name@version") and the license it declares, in license-checker's JSON shape. */
export type PackageLicenses = Record<string, { licenses?: string | string[] }>;

/** Gates the dependencies' licenses: every package's SPDX expression must be satisfied by the allow-list. */
export function licenseGate(
  licenses: PackageLicenses,
  allow: string[],
): GateVerdict {
  const packages = Object.entries(licenses);
  const rejected = packages
    .map(([name, info]) => ({ name, license: expressionOf(info.licenses) }))
    .filter(({ license }) => !isAllowed(license, allow));
  return {
    name: "scan: licenses",
    status: rejected.length ? "fail" : "pass",
    figure: `${rejected.length} of ${packages.length} packages not allowed`,
    threshold: "0 packages",
    details: rejected.map(
      ({ name, license }) =>
        `${name} is licensed ${license}, not in the allow-list`,
    ),
  };
}

function expressionOf(licenses: string | string[] | undefined): string {
  if (!licenses) return "UNKNOWN";
  return Array.isArray(licenses)
    ? licenses.map((l) => `(${l})`).join(" OR ")
    : licenses;
}

function isAllowed(expression: string, allow: string[]): boolean {
  // license-checker appends "*" to licenses it guessed from a LICENSE file; trust the guess, not the marker.
  const cleaned = expression.replace(/\*/g, "");
  if (allow.includes(cleaned)) return true;
  // An allow-list entry that is no SPDX id (a custom license name) matches only exactly, above; the others still
  // judge SPDX expressions, so one custom entry cannot turn "(GPL-3.0) OR (MIT)" into an exact-string comparison.
  const spdxAllow = allow.filter(isSpdxId);
  try {
    return spdxAllow.length > 0 && satisfies(cleaned, spdxAllow);
  } catch {
    return false;
  }
}

function isSpdxId(license: string): boolean {
  try {
    return satisfies(license, [license]);
  } catch {
    return false;
  }
}

/** One line of `yarn info --all --recursive --manifest --json` (yarn berry's NDJSON). */
interface YarnInfoLine {
  value: string;
  children: {
    Version?: string;
    Manifest?: { License?: string | null };
    Dependencies?: { descriptor: string; locator: string }[];
  };
}

/**
 * The licenses of the root workspace's production dependencies (`dependencies` and `optionalDependencies`, with
 * everything they depend on) from `yarn info`: a Plug'n'Play install has no node_modules for license-checker to read.
 */
export function yarnProductionLicenses(
  ndjson: string,
  productionDependencies: string[],
): PackageLicenses {
  const packages = new Map(
    ndjson
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => {
        const { value, children } = JSON.parse(line) as YarnInfoLine;
        return [value, children] as const;
      }),
  );
  const root = [...packages].find(([locator]) =>
    locator.endsWith("@workspace:."),
  );
  if (!root)
    throw new Error("yarn info listed no root workspace (name@workspace:.)");
  const wanted = new Set(productionDependencies);
  const pending = (root[1].Dependencies ?? [])
    .filter(({ descriptor }) => wanted.has(packageName(descriptor)))
    .map(({ locator }) => withoutVirtual(locator));
  const reached = new Set<string>();
  for (let locator = pending.pop(); locator; locator = pending.pop()) {
    if (reached.has(locator)) continue;
    reached.add(locator);
    for (const dependency of packages.get(locator)?.Dependencies ?? [])
      pending.push(withoutVirtual(dependency.locator));
  }
  const licenses: PackageLicenses = {};
  for (const locator of reached) {
    const info = packages.get(locator);
    // The repository's own workspaces are not dependencies to license.
    if (!info || locator.includes("@workspace:")) continue;
    const license = info.Manifest?.License;
    licenses[`${packageName(locator)}@${info.Version}`] = license
      ? { licenses: license }
      : {};
  }
  return licenses;
}

// "@scope/name@npm:^1.0.0" → "@scope/name".
function packageName(descriptorOrLocator: string): string {
  return descriptorOrLocator.slice(0, descriptorOrLocator.indexOf("@", 1));
}

// A package instantiated for its peers ("debug@virtual:<hash>#npm:4.4.3") is listed under its own locator.
function withoutVirtual(locator: string): string {
  return locator.replace(/@virtual:[^#]*#/, "@");
}
