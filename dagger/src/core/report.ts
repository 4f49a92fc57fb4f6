import { allPassed, type Gate, type GateStatus } from "./gates.js";

/** Output formats of the quality report. */
export type ReportFormat = "text" | "markdown";

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

/** Renders every gate as one table followed by the details of each failed or warned gate. */
export function renderReport(gates: Gate[], format: ReportFormat): string {
  const verdict = allPassed(gates) ? "passed" : "FAILED";
  const noted = gates.filter(
    (gate) => gate.status !== "pass" && gate.details.length,
  );
  return format === "markdown"
    ? renderMarkdown(gates, noted, verdict)
    : renderText(gates, noted, verdict);
}

function renderText(gates: Gate[], noted: Gate[], verdict: string): string {
  const rows = [
    HEADER,
    ...gates.map((g) => [
      g.name,
      STATUS_LABEL[g.status],
      g.figure,
      g.threshold,
      seconds(g.durationMs),
    ]),
  ];
  const widths = HEADER.map((_, column) =>
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
  ].join("\n");
}

function renderMarkdown(gates: Gate[], noted: Gate[], verdict: string): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = gates.map(
    (g) =>
      `| ${[g.name, STATUS_ICON[g.status], g.figure, g.threshold, seconds(g.durationMs)].map(cell).join(" | ")} |`,
  );
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
    `| ${HEADER.join(" | ")} |`,
    `| ${HEADER.map(() => "---").join(" | ")} |`,
    ...rows,
    ...(details.length ? ["", ...details] : []),
    "",
  ].join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The stages `ci` runs, in report order. */
export const CI_STAGES = [
  "lint",
  "typecheck",
  "test",
  "build",
  "scan",
  "load",
] as const;
export type CiStage = (typeof CI_STAGES)[number];

/** Validates the --skip flag. */
export function parseSkippedStages(skip: string[]): Set<CiStage> {
  const unknown = skip.filter(
    (stage) => !(CI_STAGES as readonly string[]).includes(stage),
  );
  if (unknown.length)
    throw new Error(
      `--skip takes stages among ${CI_STAGES.join(", ")}; unknown: ${unknown.join(", ")}`,
    );
  return new Set(skip as CiStage[]);
}

/** Validates the --format flag. */
export function parseReportFormat(format: string): ReportFormat {
  if (format === "text" || format === "markdown") return format;
  throw new Error(`--format must be "text" or "markdown", got "${format}"`);
}
