import { SEVERITIES, type Severity } from "./config.js";

/** Outcome of one quality gate. "warn" never fails a run; it flags a check that could not fully run. "skip" was asked for. */
export type GateStatus = "pass" | "fail" | "warn" | "skip";

/** One row of the quality report. */
export interface Gate {
  name: string;
  status: GateStatus;
  figure: string;
  threshold: string;
  durationMs: number;
  details: string[];
  /** The command behind the gate, as a developer would type it to reproduce a failure. */
  command?: string;
}

/** A gate before its stage's wall time is known. */
export type GateVerdict = Omit<Gate, "durationMs">;

/** One problem reported by a scanner, normalised across tools. */
export interface Finding {
  tool: string;
  id: string;
  severity: Severity;
  message: string;
  location?: string;
}

/** An accepted finding: the id (CVE, GHSA, rule id or gitleaks fingerprint) and why it is accepted. */
export interface IgnoreRule {
  id: string;
  reason: string;
}

/** Passes when no finding at or above `failOn` remains after the ignore list. */
export function severityGate(
  name: string,
  findings: Finding[],
  options: { failOn: Severity; ignore: IgnoreRule[] },
): GateVerdict {
  const ignoredIds = new Set(options.ignore.map((rule) => rule.id));
  const active = findings.filter((finding) => !ignoredIds.has(finding.id));
  const blocking = active.filter((finding) =>
    atLeast(finding.severity, options.failOn),
  );
  const ignoredCount = findings.length - active.length;
  return {
    name,
    status: blocking.length ? "fail" : "pass",
    figure:
      countBySeverity(active) +
      (ignoredCount ? ` (${ignoredCount} ignored)` : ""),
    threshold: `none >= ${options.failOn}`,
    details: blocking.length
      ? [
          ...blocking.map(describeFinding),
          `a finding that is accepted goes in gantry.config.json: "scan": { "ignore": [{ "id": "${blocking[0].id}", "reason": "why it is safe" }] }`,
        ]
      : [],
  };
}

/** Passes when `actual` is at least `minimum` (coverage-style gates). */
export function minimumGate(
  name: string,
  actual: number,
  minimum: number,
  unit = "%",
): GateVerdict {
  return {
    name,
    status: actual >= minimum ? "pass" : "fail",
    figure: `${round(actual)}${unit}`,
    threshold: `>= ${minimum}${unit}`,
    details:
      actual >= minimum
        ? []
        : [
            `${name} is ${round(actual)}${unit}, below the required ${minimum}${unit}`,
          ],
  };
}

/** Passes when `actual` stays at or below `maximum`. */
export function maximumGate(
  name: string,
  actual: number,
  maximum: number,
  unit = "",
): GateVerdict {
  const ok = actual <= maximum;
  return {
    name,
    status: ok ? "pass" : "fail",
    figure: `${round(actual)}${unit}`,
    threshold: `<= ${maximum}${unit}`,
    details: ok
      ? []
      : [
          `${name} is ${round(actual)}${unit}, above the allowed ${maximum}${unit}`,
        ],
  };
}

/** A gate for a check that does not apply to this repository, with the reason. */
export function skippedGate(name: string, reason: string): GateVerdict {
  return {
    name,
    status: "skip",
    figure: "skipped",
    threshold: "-",
    details: [reason],
  };
}

/** A gate judged only by a command's exit code (a repository script Gantry cannot parse), with the end of its output. */
export function exitCodeGate(
  name: string,
  exitCode: number,
  outputTail: string,
): GateVerdict {
  return {
    name,
    status: exitCode === 0 ? "pass" : "fail",
    figure: `exit code ${exitCode}`,
    threshold: "exit code 0",
    details: exitCode === 0 ? [] : outputTail.split("\n"),
  };
}

/** A gate for a check that could not run or crashed; `status` says whether that blocks the run. */
export function brokenGate(
  name: string,
  reason: string,
  status: GateStatus = "fail",
): GateVerdict {
  return {
    name,
    status,
    figure: "did not run",
    threshold: "-",
    details: [reason],
  };
}

/** Runs one stage, or reports it skipped, and stamps every gate it returns with the stage's wall time; a crash becomes a failed gate. */
export async function timeStage(
  name: string,
  stage: () => Promise<GateVerdict[]>,
  skipped = false,
): Promise<Gate[]> {
  if (skipped)
    return [
      {
        name,
        status: "skip",
        figure: "skipped",
        threshold: "-",
        durationMs: 0,
        details: [],
      },
    ];
  const started = Date.now();
  let verdicts: GateVerdict[];
  try {
    verdicts = await stage();
  } catch (error) {
    verdicts = [brokenGate(name, failureMessage(error))];
  }
  const durationMs = Date.now() - started;
  return verdicts.map((verdict) => ({ ...verdict, durationMs }));
}

// Engine object IDs (base64, kilobytes long) that some engine errors embed: noise in a report.
const ENGINE_ID = /[A-Za-z0-9+/=]{80,}/g;
const ERROR_LINE = /\b(error|err!|fatal)\b/i;
// Known causes of a failed command, each with what the user can do about it.
const HINTS: [RegExp, string][] = [
  [
    /no compatible signature|signature does not match|verifySignature/i,
    "corepack could not verify the package manager's signature: registries that serve no signatures (some mirrors) need packageManager.verifySignatures: false in gantry.config.json, which the report then shows as a warning",
  ],
];

/**
 * An error's message; for a failed command (the engine's ExecError), the command, the error lines of its stderr and
 * its last lines, without engine object IDs, and a hint when the cause is a known one.
 */
export function failureMessage(error: unknown): string {
  const { message, cmd, stderr } = error as {
    message: string;
    cmd?: string[];
    stderr?: string;
  };
  const summary = message.split(" [traceparent")[0].replace(ENGINE_ID, "…");
  if (!stderr) return summary;
  const lines = stderr.trim().split("\n");
  const lastLines = lines.slice(-8);
  const errorLines = lines
    .slice(0, -8)
    .filter((line) => ERROR_LINE.test(line))
    .slice(-5);
  const hints = HINTS.filter(([cause]) => cause.test(stderr)).map(
    ([, hint]) => `hint: ${hint}`,
  );
  return [
    `${cmd?.join(" ") ?? "a command"} failed (${summary}):`,
    ...errorLines,
    ...(errorLines.length ? ["…"] : []),
    ...lastLines,
    ...hints,
  ]
    .join("\n")
    .replace(ENGINE_ID, "…");
}

/** True when every gate passed or only warned. */
export function allPassed(gates: Gate[]): boolean {
  return gates.every((gate) => gate.status !== "fail");
}

/** Whether `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

function countBySeverity(findings: Finding[]): string {
  if (!findings.length) return "0 findings";
  return [...SEVERITIES]
    .reverse()
    .map(
      (severity) =>
        [
          severity,
          findings.filter((f) => f.severity === severity).length,
        ] as const,
    )
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(", ");
}

function describeFinding(finding: Finding): string {
  const where = finding.location ? ` at ${finding.location}` : "";
  return `[${finding.severity}] ${finding.tool} ${finding.id}${where}: ${finding.message}`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
