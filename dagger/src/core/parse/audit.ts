import type { Severity } from "../config.js";
import type { Finding } from "../gates.js";

/** What a package manager's audit produced: findings, or the reason it could not reach an advisory database. */
export type AuditOutcome =
  | { kind: "report"; findings: Finding[] }
  | { kind: "unavailable"; reason: string };

/** Whose audit printed the output; each prints its own format (see test/fixtures/tool-output/README.md, "audit"). */
export type AuditPackageManager =
  "npm" | "pnpm" | "yarn-classic" | "yarn-berry";

/** How the audit ended, when known: an `ExecResult` fits. */
export interface AuditRun {
  exitCode?: number;
  stderr?: string;
}

/** How much of an output a reason quotes. */
const EXCERPT = 300;

/**
 * Parses an audit's stdout into findings, or into the reason there is no report:
 *
 * - `npm audit --json`: one JSON document, report v2 (`auditReportVersion: 2`, `vulnerabilities`), or npm 6's
 *   `advisories`; on failure a document with `error` (and `message`);
 * - `pnpm audit --json`: one document with `advisories` and `metadata`; on failure `{"error":{code,message}}`;
 * - `yarn audit --json` (classic): NDJSON, an `auditAdvisory` line per advisory and dependency path, then one
 *   `auditSummary`; its errors go to stderr as `{"type":"error"}` lines;
 * - `yarn npm audit --json` (berry 4): NDJSON, a `{"value":<package>,"children":{ID,Issue,URL,Severity,...}}` line
 *   per package and advisory; a clean audit prints nothing and exits 0, so an empty output is a clean report
 *   only for `packageManager` "yarn-berry" with `run.exitCode` 0.
 *
 * Anything else, empty output included, is `unavailable`, never "0 findings"; the reason quotes the start of the
 * output and, when `run.stderr` is given, its error line. Given a `packageManager`, only its formats are accepted.
 */
export function auditOutcome(
  json: string,
  packageManager?: AuditPackageManager,
  run: AuditRun = {},
): AuditOutcome {
  const output = json.trim();
  if (!output) {
    return packageManager === "yarn-berry" && run.exitCode === 0
      ? { kind: "report", findings: [] }
      : unrecognised(output, run);
  }
  const document = parseJson(output);
  const outcome =
    isRecord(document) && !isStreamRecord(document)
      ? documentOutcome(document, packageManager)
      : streamOutcome(output, packageManager);
  return outcome ?? unrecognised(output, run);
}

// --- npm and pnpm: one JSON document ---------------------------------------------------------------------------

interface NpmVia {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
  range?: string;
}

interface NpmVulnerability {
  name: string;
  severity: string;
  range: string;
  via: (string | NpmVia)[];
}

/** npm 6's and pnpm's advisory (pnpm adds `github_advisory_id`). */
/** The npm v6 advisory, which pnpm's report and yarn classic's auditAdvisory lines both carry. */
interface LegacyAdvisory {
  id: number;
  module_name: string;
  severity: string;
  title: string;
  url?: string;
  github_advisory_id?: string;
  vulnerable_versions: string;
}

function legacyFinding(advisory: LegacyAdvisory): Found {
  return found(
    advisory.module_name,
    ghsaOf(advisory.url) ?? advisory.github_advisory_id ?? String(advisory.id),
    advisory.severity,
    advisory.vulnerable_versions,
    advisory.title,
  );
}

function documentOutcome(
  document: Record<string, unknown>,
  packageManager: AuditPackageManager | undefined,
): AuditOutcome | undefined {
  if (document.error !== undefined) return errorOutcome(document);
  const npm = packageManager === undefined || packageManager === "npm";
  const pnpm = packageManager === undefined || packageManager === "pnpm";
  if (
    npm &&
    document.auditReportVersion === 2 &&
    isRecord(document.vulnerabilities)
  ) {
    return report(
      Object.values(
        document.vulnerabilities as Record<string, NpmVulnerability>,
      ).flatMap(npmFindings),
    );
  }
  if (
    (npm || pnpm) &&
    isRecord(document.advisories) &&
    isRecord(document.metadata)
  ) {
    return report(
      Object.values(document.advisories as Record<string, LegacyAdvisory>).map(
        legacyFinding,
      ),
    );
  }
  return undefined;
}

/** One finding per advisory of the package; a package vulnerable only through another one is one finding. */
function npmFindings(vulnerability: NpmVulnerability): Found[] {
  const { name, range } = vulnerability;
  const via = Array.isArray(vulnerability.via) ? vulnerability.via : [];
  const advisories = via.filter(isRecord) as NpmVia[];
  if (advisories.length === 0) {
    return [
      found(name, name, vulnerability.severity, range, `via ${via.join(", ")}`),
    ];
  }
  return advisories.map((advisory) =>
    found(
      name,
      ghsaOf(advisory.url) ?? String(advisory.source ?? name),
      advisory.severity ?? vulnerability.severity,
      advisory.range ?? range,
      advisory.title,
    ),
  );
}

/** npm: `{ message, error: { code?, summary, detail } }`; pnpm: `{ error: { code, message } }`. */
function errorOutcome(document: Record<string, unknown>): AuditOutcome {
  const error = isRecord(document.error) ? document.error : {};
  const parts = [
    error.code,
    document.message,
    error.message,
    error.summary,
    error.detail,
    typeof document.error === "string" ? document.error : undefined,
  ].filter((part): part is string => typeof part === "string" && part !== "");
  return {
    kind: "unavailable",
    reason:
      [...new Set(parts)].join(": ") ||
      "the audit endpoint returned an error without details",
  };
}

// --- yarn classic and yarn berry: NDJSON ------------------------------------------------------------------------

interface BerryAdvisory {
  value: string;
  children: {
    ID?: string | number;
    Issue?: string;
    URL?: string;
    Severity?: string;
    "Vulnerable Versions"?: string;
  };
}

function streamOutcome(
  output: string,
  packageManager: AuditPackageManager | undefined,
): AuditOutcome | undefined {
  const records = output
    .split(/\r?\n/)
    .map((line) => parseJson(line.trim()))
    .filter(isRecord);
  const error = records.find((record) => record.type === "error");
  if (error) {
    return { kind: "unavailable", reason: firstLine(error.data) };
  }
  const classic = records.filter(
    (record) =>
      record.type === "auditAdvisory" || record.type === "auditSummary",
  );
  const berry = records.filter(isBerryAdvisory);
  if (classic.length > 0 && berry.length > 0) return undefined;
  if (
    classic.length > 0 &&
    (packageManager === undefined || packageManager === "yarn-classic")
  ) {
    return classicOutcome(classic);
  }
  if (
    berry.length > 0 &&
    (packageManager === undefined || packageManager === "yarn-berry")
  ) {
    return report(
      berry.map(({ value, children }) =>
        found(
          value,
          ghsaOf(children.URL) ??
            (children.ID === undefined ? value : String(children.ID)),
          children.Severity,
          children["Vulnerable Versions"],
          children.Issue,
        ),
      ),
    );
  }
  return undefined;
}

/** Requires the `auditSummary` line, which yarn prints last: without it the report was cut short. */
function classicOutcome(
  records: Record<string, unknown>[],
): AuditOutcome | undefined {
  const summary = records
    .filter((record) => record.type === "auditSummary")
    .pop();
  if (!summary || !isRecord(summary.data)) return undefined;
  const findings = records.flatMap((record) => {
    if (record.type !== "auditAdvisory" || !isRecord(record.data)) return [];
    const advisory = record.data.advisory as LegacyAdvisory | undefined;
    if (!isRecord(advisory)) return [];
    return [legacyFinding(advisory)];
  });
  const counted = Object.values(
    isRecord(summary.data.vulnerabilities) ? summary.data.vulnerabilities : {},
  ).reduce<number>(
    (sum, count) => sum + (typeof count === "number" ? count : 0),
    0,
  );
  if (findings.length === 0 && counted > 0) {
    // `--summary` or `--level` hid the advisories: counting them as none would pass a vulnerable project.
    return {
      kind: "unavailable",
      reason: `yarn audit counted ${counted} vulnerabilities but listed no advisory: ${excerpt(JSON.stringify(summary))}`,
    };
  }
  return report(findings);
}

function isStreamRecord(record: Record<string, unknown>): boolean {
  return typeof record.type === "string" || isBerryAdvisory(record);
}

function isBerryAdvisory(
  record: Record<string, unknown>,
): record is BerryAdvisory & Record<string, unknown> {
  return typeof record.value === "string" && isRecord(record.children);
}

// --- shared -----------------------------------------------------------------------------------------------------

/** A finding and the package it is about, the key (with the id) of "each package and advisory once". */
interface Found {
  pkg: string;
  finding: Finding;
}

/** Each package and advisory once (yarn classic prints an advisory once per dependency path). */
function report(found: Found[]): AuditOutcome {
  const unique = new Map<string, Finding>();
  for (const { pkg, finding } of found) {
    const key = JSON.stringify([pkg, finding.id]);
    if (!unique.has(key)) unique.set(key, finding);
  }
  return { kind: "report", findings: [...unique.values()] };
}

/** Message: `<package> <vulnerable range>: <title>`. */
function found(
  pkg: string,
  id: string,
  severity: unknown,
  range: unknown,
  title: unknown,
): Found {
  return {
    pkg,
    finding: {
      tool: "audit",
      id,
      severity: auditSeverity(severity),
      message: `${pkg} ${range}: ${title}`,
    },
  };
}

function auditSeverity(severity: unknown): Severity {
  if (severity === "critical" || severity === "high") return severity;
  return severity === "moderate" || severity === "medium" ? "medium" : "low";
}

/** The GHSA id in an advisory URL such as https://github.com/advisories/GHSA-35jh-r3h4-6jhm. */
function ghsaOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  return /\/(GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})\b/i.exec(url)?.[1];
}

function unrecognised(output: string, run: AuditRun): AuditOutcome {
  const stderrError = errorLine(run.stderr ?? "");
  const start = output
    ? `the audit printed no report Gantry recognises: ${excerpt(output)}`
    : "the audit printed nothing on stdout";
  return {
    kind: "unavailable",
    reason: stderrError ? `${stderrError} (${start})` : start,
  };
}

/**
 * The error a failed audit printed on stderr: yarn classic's `{"type":"error","data":…}` line, else the first
 * short lines naming an error (yarn berry's uncaught "Zt [Error]: …" and its "originalError: … [HTTPError]: …"),
 * else the start of stderr.
 */
function errorLine(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim());
  for (const line of lines) {
    const record = parseJson(line);
    if (isRecord(record) && record.type === "error")
      return firstLine(record.data);
  }
  const errors = lines.filter(
    (line) =>
      line.length <= EXCERPT &&
      !line.startsWith("at ") &&
      /error|ERR!/i.test(line),
  );
  if (errors.length > 0) return errors.slice(0, 2).join(" / ");
  return stderr.trim() ? excerpt(stderr.trim()) : undefined;
}

function firstLine(data: unknown): string {
  const text = typeof data === "string" ? data : JSON.stringify(data);
  return excerpt(
    text?.split("\n")[0]?.trim() ||
      "the audit reported an error without details",
  );
}

function excerpt(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}

function parseJson(text: string): unknown {
  if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
