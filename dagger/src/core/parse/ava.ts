import { stripVTControlCharacters } from "node:util";
import { failureLine, type TestCounts } from "./testCounts.js";

// Failed hooks, uncaught exceptions, unhandled rejections and timeouts fail the run like a failed test.
const SUMMARY =
  /^(\d+) (?:tests? (passed|failed|skipped|todo)|hooks? failed|uncaught exceptions?|unhandled rejections?|tests? remained pending after a timeout)$/;
// Ava's ways of saying that it found nothing to run.
const NOTHING_RAN =
  /^✘ (?:Couldn.t find any (?:files to test|matching tests)|Based on your configuration, \d+ test files? (?:was|were) found, but did not match the filters)/;

/** Counts ava's default reporter in a non-TTY run; todo tests count as skipped; a file that crashed (e.g. did not load) counts as a failed test. */
export function parseAvaOutput(text: string): TestCounts | undefined {
  const lines = stripVTControlCharacters(text)
    .split("\n")
    .map((line) => line.trim());
  const totals = new Map<string, number>();
  for (const line of lines) {
    const match = SUMMARY.exec(line);
    if (!match) continue;
    const key = match[2] ?? "failed";
    totals.set(key, (totals.get(key) ?? 0) + Number(match[1]));
  }
  if (!totals.size)
    return lines.some((line) => NOTHING_RAN.test(line))
      ? { passed: 0, failed: 0, skipped: 0, failures: [] }
      : undefined;
  const count = (key: string) => totals.get(key) ?? 0;
  return {
    // Ava prints "N tests passed" only when nothing failed; otherwise its ✔ lines are the count.
    passed: totals.has("passed")
      ? count("passed")
      : lines.filter((line) => line.startsWith("✔ ")).length,
    failed: count("failed"),
    skipped: count("skipped") + count("todo"),
    failures: [...crashes(lines), ...failureList(lines)],
  };
}

/** The entries between ava's two "─" rules, two blank lines apart: the title, "FILE:LINE" for assertions with the source around it, then the message. */
function failureList(lines: string[]): string[] {
  const start = lines.indexOf("─");
  const end = lines.indexOf("─", start + 1);
  if (start === -1 || end === -1) return [];
  return lines
    .slice(start + 1, end)
    .join("\n")
    .split(/\n\n\n+/)
    .map((entry) => entry.split("\n").filter(Boolean))
    .filter((entry) => entry.length)
    .map(([title, ...rest]) => {
      const file = /^(\S+):\d+$/.exec(rest[0] ?? "")?.[1];
      const message = rest
        .slice(file ? 1 : 0)
        .find((line) => !/^\d+: /.test(line));
      return failureLine(file, title!, message ?? "");
    });
}

/** "Uncaught exception in FILE" and "Unhandled rejection in FILE", each followed by the error. */
function crashes(lines: string[]): string[] {
  return lines.flatMap((line, i) => {
    const match = /^(Uncaught exception|Unhandled rejection) in (\S+)$/.exec(
      line,
    );
    if (!match) return [];
    const message = lines.slice(i + 1).find(Boolean) ?? "";
    return [failureLine(match[2], match[1]!.toLowerCase(), message)];
  });
}
