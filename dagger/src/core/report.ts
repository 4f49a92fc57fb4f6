import { seconds } from "./duration.js";
import { allPassed, type Gate, type GateStatus } from "./gates.js";

/** Output formats of the quality report. */
export enum ReportFormat {
  /** A plain-text table, for terminals and logs. */
  text = "text",
  /** A Markdown table, for a GitHub job summary or a pull-request comment. */
  markdown = "markdown",
}

const STATUS_LABEL: Record<GateStatus, string> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  skip: "SKIP",
};
const STATUS_ICON: Record<GateStatus, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  warn: "⚠️ warn",
  skip: "⏭️ skip",
};
const HEADER = ["Gate", "Status", "Figure", "Threshold", "Duration"];
// Shown when some gate knows the command behind it.
const COMMAND = "Command";

/** Renders every gate as one table followed by the details of each failed or warned gate. */
export function renderReport(gates: Gate[], format: ReportFormat): string {
  const verdict = allPassed(gates) ? "passed" : "FAILED";
  const noted = gates.filter(
    (gate) => gate.status !== "pass" && gate.details.length,
  );
  return format === ReportFormat.markdown
    ? renderMarkdown(gates, noted, verdict)
    : renderText(gates, noted, verdict);
}

function renderText(gates: Gate[], noted: Gate[], verdict: string): string {
  const withCommand = gates.some((g) => g.command);
  const header = withCommand ? [...HEADER, COMMAND] : HEADER;
  const rows = [
    header,
    ...gates.map((g) => [
      g.name,
      STATUS_LABEL[g.status],
      g.figure,
      g.threshold,
      seconds(g.durationMs),
      ...(withCommand ? [g.command ?? ""] : []),
    ]),
  ];
  const widths = header.map((_, column) =>
    Math.max(...rows.map((row) => row[column].length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  const table = [
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ];
  const details = noted.flatMap((gate) => [
    `${gate.name}:`,
    ...gate.details.map((d) => `  ${d}`),
  ]);
  return [
    `Gantry quality gates: ${verdict}`,
    "",
    ...table,
    ...(details.length ? ["", ...details] : []),
    "",
  ].join("\n");
}

function renderMarkdown(gates: Gate[], noted: Gate[], verdict: string): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const withCommand = gates.some((g) => g.command);
  const header = withCommand ? [...HEADER, COMMAND] : HEADER;
  const rows = gates.map((g) => {
    const cells = [
      g.name,
      STATUS_ICON[g.status],
      g.figure,
      g.threshold,
      seconds(g.durationMs),
    ].map(cell);
    const command = g.command ? `\`${cell(g.command)}\`` : "";
    return `| ${[...cells, ...(withCommand ? [command] : [])].join(" | ")} |`;
  });
  const details = noted.flatMap((gate) => [
    `<details><summary>${gate.name}</summary>`,
    "",
    ...gate.details.map((d) => `- ${cell(d)}`),
    "",
    "</details>",
  ]);
  return [
    `## Gantry quality gates: ${verdict}`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows,
    ...(details.length ? ["", ...details] : []),
    "",
  ].join("\n");
}

/** The stages `ci` runs, in report order. */
export enum CiStage {
  /** The linter and the format check. */
  lint = "lint",
  /** The type check. */
  typecheck = "typecheck",
  /** The test suite with coverage. */
  test = "test",
  /** The service image and its gates. */
  build = "build",
  /** Audit, secrets, Trivy and licenses. */
  scan = "scan",
  /** The smoke load test. */
  load = "load",
  /** Lighthouse on the configured pages. */
  lighthouse = "lighthouse",
}
const CI_STAGES: string[] = Object.values(CiStage);

/** Validates --skip where Dagger's own enum check does not run (library mode). */
export function parseSkippedStages(skip: string[]): CiStage[] {
  const unknown = skip.filter((stage) => !CI_STAGES.includes(stage));
  if (unknown.length)
    throw new Error(
      `--skip takes stages among ${CI_STAGES.join(", ")}; unknown: ${unknown.join(", ")}`,
    );
  return skip as CiStage[];
}

/** Validates --format where Dagger's own enum check does not run (library mode). */
export function parseReportFormat(format: string): ReportFormat {
  if (format === "text" || format === "markdown") return format as ReportFormat;
  throw new Error(`--format must be "text" or "markdown", got "${format}"`);
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function abbreviate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
