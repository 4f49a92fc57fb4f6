import satisfies from "spdx-satisfies";
import type { GateVerdict } from "../gates.js";

type LicenseCheckerJson = Record<string, { licenses?: string | string[] }>;

/** Gates license-checker's JSON: every dependency's SPDX expression must be satisfied by the allow-list. */
export function licenseGate(json: string, allow: string[]): GateVerdict {
  const packages = Object.entries(JSON.parse(json) as LicenseCheckerJson);
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
