import { stripVTControlCharacters } from "node:util";
import { failureLine, type TestCounts } from "./testCounts.js";

const SUMMARY = /^([ℹ#]) (tests|pass|fail|cancelled|skipped|todo) (\d+)$/;

/** Counts `node --test` output of the spec reporter ("ℹ pass 2") or the tap reporter ("# pass 2"), which Node 20 and 22 use off a terminal; cancelled tests count as failed, todo as skipped. */
export function parseNodeTestOutput(text: string): TestCounts | undefined {
  const lines = stripVTControlCharacters(text)
    .split("\n")
    .map((line) => line.trimEnd());
  const totals = new Map<string, number>();
  let tap = false;
  // The last summary wins: node prints it after everything a test may have logged.
  for (const line of lines) {
    const match = SUMMARY.exec(line);
    if (!match) continue;
    tap = match[1] === "#";
    totals.set(match[2]!, Number(match[3]));
  }
  if (!totals.has("pass") || !totals.has("fail")) return undefined;
  const count = (key: string) => totals.get(key) ?? 0;
  return {
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped") + count("todo"),
    failures: tap ? tapFailures(lines) : specFailures(lines),
  };
}

/** The spec reporter's closing "✖ failing tests:" list: "test at FILE:LINE:COL", "✖ NAME (DURATION)", then the error. */
function specFailures(lines: string[]): string[] {
  const start = lines.indexOf("✖ failing tests:");
  if (start === -1) return [];
  const failures: string[] = [];
  let file: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const location = /^test at (.+):\d+:\d+$/.exec(lines[i]!);
    if (location) file = location[1];
    const name = /^✖ (.+) \([\d.]+ms\)$/.exec(lines[i]!)?.[1];
    if (name === undefined) continue;
    const message = lines.slice(i + 1).find((line) => line.trim()) ?? "";
    failures.push(failureLine(file, name, message.trim()));
    file = undefined;
  }
  return failures;
}

/** TAP "not ok" lines with the location and error of the YAML block under them; suites whose subtests failed are not failures of their own. */
function tapFailures(lines: string[]): string[] {
  return lines.flatMap((line, i) => {
    const match = /^(\s*)not ok \d+ - (.*)$/.exec(line);
    if (!match || / # TODO\b/.test(match[2]!)) return [];
    const yaml = blockAfter(lines, i, match[1]!.length + 2);
    if (yaml.failureType === "subtestsFailed") return [];
    const name = match[2]!.replace(/\\([#\\])/g, "$1");
    const file = yaml.location?.replace(/:\d+:\d+$/, "");
    return [failureLine(file, name, yaml.error ?? "")];
  });
}

/** The scalar fields of the YAML block ("  ---" ... "  ...") that follows a TAP test line, multi-line values cut to their first line. */
function blockAfter(
  lines: string[],
  testLine: number,
  indent: number,
): Record<string, string> {
  const fields: Record<string, string> = {};
  const pad = " ".repeat(indent);
  if (lines[testLine + 1] !== `${pad}---`) return fields;
  for (let i = testLine + 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === `${pad}...`) break;
    const field = new RegExp(`^${pad}(\\w+): (.*)$`).exec(line);
    if (!field) continue;
    const value = field[2]!;
    fields[field[1]!] = /^[|>][-+]?$/.test(value)
      ? (lines[i + 1] ?? "").trim()
      : unquote(value);
  }
  return fields;
}

/** A one-line value as node's tap reporter writes it: util.inspect()'s quoted string (escapes kept), or bare. */
function unquote(value: string): string {
  return value.replace(/^(['"`])(.*)\1$/, "$2");
}
