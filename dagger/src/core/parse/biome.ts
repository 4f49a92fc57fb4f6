import { stripVTControlCharacters } from "node:util";
import type { GateVerdict } from "../gates.js";

interface BiomeReport {
  summary: { errors: number; warnings: number };
  diagnostics: {
    message: string;
    category?: string;
    location?: { path?: string; start?: { line: number } };
  }[];
}

/** Gates `biome lint --reporter=json` or `biome format --reporter=json` (both print one JSON line on stdout): no errors, and at most `maxWarnings` warnings when set. */
export function biomeGate(
  name: string,
  output: string,
  exitCode: number,
  maxWarnings: number | null,
): GateVerdict {
  const lines = stripVTControlCharacters(output).split("\n");
  const reports = lines.map(report);
  const reportLine = reports.findIndex(Boolean);
  const parsed = reports[reportLine];
  // What biome says besides the report (its notice that the reporter is experimental, the reason it stopped).
  const said = lines
    .filter((line, i) => i !== reportLine && line.trim())
    .slice(-8);
  const threshold =
    maxWarnings === null ? "0 errors" : `0 errors, <= ${maxWarnings} warnings`;
  if (!parsed)
    return {
      name,
      status: "fail",
      figure: "did not run",
      threshold,
      details: said,
    };
  const { errors, warnings } = parsed.summary;
  const tooManyWarnings = maxWarnings !== null && warnings > maxWarnings;
  // "No files were processed" exits 1 with an empty report.
  const unexplained = exitCode !== 0 && errors === 0;
  const details = parsed.diagnostics.slice(0, 50).map(describe);
  return {
    name,
    status: errors || tooManyWarnings || unexplained ? "fail" : "pass",
    figure: `${errors} errors, ${warnings} warnings`,
    threshold,
    details: unexplained
      ? [
          `biome exited ${exitCode} without reporting an error`,
          ...said,
          ...details,
        ]
      : details,
  };
}

function report(line: string): BiomeReport | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<BiomeReport>;
    return parsed.summary && Array.isArray(parsed.diagnostics)
      ? (parsed as BiomeReport)
      : undefined;
  } catch {
    return undefined;
  }
}

/** "path:line category: message"; the formatter's diagnostic covers a whole file (line 0) and only says what it would have printed. */
function describe({
  message,
  category = "",
  location,
}: BiomeReport["diagnostics"][number]): string {
  const line = location?.start?.line;
  const where = location?.path
    ? `${location.path}${line ? `:${line}` : ""} `
    : "";
  return `${where}${category}: ${category === "format" ? "not formatted" : message}`;
}
