import type { Severity } from "../config.js";
import type { Finding } from "../gates.js";

/** What a package manager's audit produced: findings, or the reason it could not reach an advisory database. */
export type AuditOutcome =
  | { kind: "report"; findings: Finding[] }
  | { kind: "unavailable"; reason: string };

interface NpmAuditV2 {
  vulnerabilities?: Record<
    string,
    {
      name: string;
      severity: string;
      range: string;
      via: (string | { source: number; title: string; url: string })[];
    }
  >;
  advisories?: Record<
    string,
    {
      id: number;
      module_name: string;
      severity: string;
      title: string;
      url: string;
      vulnerable_versions: string;
    }
  >;
  error?: { code?: string; summary?: string; detail?: string };
  message?: string;
}

/** Parses `npm audit --json` (report v2), `pnpm audit --json` (advisories) or an audit error into an outcome. */
export function auditOutcome(json: string): AuditOutcome {
  let report: NpmAuditV2;
  try {
    report = JSON.parse(json) as NpmAuditV2;
  } catch {
    return {
      kind: "unavailable",
      reason: `the audit printed no JSON report: ${json.trim().slice(0, 300) || "(empty output)"}`,
    };
  }
  if (report.error) {
    const { code, summary, detail } = report.error;
    const reason = [code, report.message, summary, detail]
      .filter(Boolean)
      .join(": ");
    return {
      kind: "unavailable",
      reason: reason || "the audit endpoint returned an error without details",
    };
  }
  if (report.vulnerabilities) {
    return {
      kind: "report",
      findings: Object.values(report.vulnerabilities).map((vuln) => {
        const advisories = vuln.via.filter(
          (via): via is Exclude<typeof via, string> => typeof via !== "string",
        );
        return {
          tool: "audit",
          id: advisories[0]?.url.split("/").pop() ?? vuln.name,
          severity: auditSeverity(vuln.severity),
          message: `${vuln.name} ${vuln.range}: ${advisories.map((a) => a.title).join("; ") || `via ${vuln.via.join(", ")}`}`,
        };
      }),
    };
  }
  return {
    kind: "report",
    findings: Object.values(report.advisories ?? {}).map((advisory) => ({
      tool: "audit",
      id: advisory.url.split("/").pop() ?? String(advisory.id),
      severity: auditSeverity(advisory.severity),
      message: `${advisory.module_name} ${advisory.vulnerable_versions}: ${advisory.title}`,
    })),
  };
}

function auditSeverity(severity: string): Severity {
  if (severity === "critical" || severity === "high") return severity;
  return severity === "moderate" ? "medium" : "low";
}
