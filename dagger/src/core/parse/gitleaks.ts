import type { Finding } from "../gates.js";

interface GitleaksLeak {
  RuleID: string;
  Description: string;
  File: string;
  StartLine: number;
  Fingerprint: string;
}

/** Turns a gitleaks JSON report into findings; a leaked secret is always critical. The id is the fingerprint, as in .gitleaksignore. */
export function gitleaksFindings(json: string, root: string): Finding[] {
  const leaks = JSON.parse(json || "[]") as GitleaksLeak[];
  const prefix = `${root.replace(/\/$/, "")}/`;
  return leaks.map((leak) => {
    const file = leak.File.startsWith(prefix)
      ? leak.File.slice(prefix.length)
      : leak.File;
    return {
      tool: "gitleaks",
      id: leak.Fingerprint.startsWith(prefix)
        ? leak.Fingerprint.slice(prefix.length)
        : leak.Fingerprint,
      severity: "critical",
      message: `${leak.Description} (${leak.RuleID})`,
      location: `${file}:${leak.StartLine}`,
    };
  });
}
