import type { Severity } from "../config.js";
import type { Finding } from "../gates.js";

interface TrivyReport {
  Results?: {
    Target: string;
    Vulnerabilities?: {
      VulnerabilityID: string;
      PkgName: string;
      InstalledVersion: string;
      FixedVersion?: string;
      Severity: string;
      Title?: string;
    }[];
    Misconfigurations?: {
      ID: string;
      AVDID?: string;
      Title: string;
      Severity: string;
      Status: string;
      Message?: string;
    }[];
    Secrets?: {
      RuleID: string;
      Title: string;
      Severity: string;
      StartLine: number;
    }[];
    Licenses?: {
      Name: string;
      PkgName: string;
      Severity: string;
      Category: string;
    }[];
  }[];
}

/** Turns a trivy JSON report (image or fs) into findings: vulnerabilities, failed misconfigurations and secrets. */
export function trivyFindings(json: string): Finding[] {
  const report = JSON.parse(json) as TrivyReport;
  return (report.Results ?? []).flatMap((result) => [
    ...(result.Vulnerabilities ?? []).map((vuln) => ({
      tool: "trivy",
      id: vuln.VulnerabilityID,
      severity: trivySeverity(vuln.Severity),
      message: `${vuln.PkgName} ${vuln.InstalledVersion}${vuln.FixedVersion ? ` (fixed in ${vuln.FixedVersion})` : ""}${vuln.Title ? `: ${vuln.Title}` : ""}`,
      location: result.Target,
    })),
    ...(result.Misconfigurations ?? [])
      .filter((misconfig) => misconfig.Status === "FAIL")
      .map((misconfig) => ({
        tool: "trivy",
        id: misconfig.AVDID ?? misconfig.ID,
        severity: trivySeverity(misconfig.Severity),
        message: misconfig.Message ?? misconfig.Title,
        location: result.Target,
      })),
    ...(result.Secrets ?? []).map((secret) => ({
      tool: "trivy",
      id: secret.RuleID,
      severity: trivySeverity(secret.Severity),
      message: secret.Title,
      location: `${result.Target}:${secret.StartLine}`,
    })),
  ]);
}

/** Maps trivy's UPPERCASE severities (with UNKNOWN) onto Gantry's scale. */
export function trivySeverity(severity: string): Severity {
  const normalised = severity.toLowerCase();
  return normalised === "critical" ||
    normalised === "high" ||
    normalised === "medium"
    ? normalised
    : "low";
}

// How Trivy's fatal error reads when it cannot fetch its vulnerability database (offline, or air-gapped without a mirror).
const DATABASE_UNAVAILABLE =
  /(vulnerability )?db|failed to download|OCI repository|artifact/i;

/** The reason, from a failed Trivy run's stderr, when it failed for want of its vulnerability database; else undefined. */
export function trivyDatabaseUnavailable(stderr: string): string | undefined {
  if (!DATABASE_UNAVAILABLE.test(stderr)) return undefined;
  return stderr.trim().split("\n").slice(-2).join(" ");
}
