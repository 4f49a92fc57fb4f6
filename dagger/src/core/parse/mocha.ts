import { stripVTControlCharacters } from "node:util";
import { failureLine, type TestCounts } from "./testCounts.js";

/** Counts the epilogue of mocha's spec reporter ("2 passing (5ms)", "1 pending", "1 failing") and reads its numbered failure list; pending tests count as skipped. */
export function parseMochaOutput(text: string): TestCounts | undefined {
  const lines = stripVTControlCharacters(text)
    .split("\n")
    .map((line) => line.trimEnd());
  // The last epilogue wins: it comes after anything the tests logged.
  let start = -1;
  lines.forEach((line, i) => {
    if (/^ {2}\d+ passing \(/.test(line)) start = i;
  });
  if (start === -1) return undefined;
  const epilogue = lines.slice(start);
  const count = (pattern: RegExp) =>
    Number(epilogue.map((line) => pattern.exec(line)?.[1]).find(Boolean) ?? 0);
  const failing = epilogue.findIndex((line) => /^ {2}\d+ failing$/.test(line));
  return {
    passed: count(/^ {2}(\d+) passing \(/),
    failed: count(/^ {2}(\d+) failing$/),
    skipped: count(/^ {2}(\d+) pending$/),
    failures: failing === -1 ? [] : failureList(epilogue.slice(failing + 1)),
  };
}

/** Entries "  1) suite\n       test:" then the message, then a stack whose first frame outside node and node_modules names the test file. */
function failureList(lines: string[]): string[] {
  const failures: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = /^ {2}\d+\) (.*)$/.exec(lines[i]!)?.[1];
    if (first === undefined) continue;
    const title = [first];
    while (!title.at(-1)!.endsWith(":") && i + 1 < lines.length)
      title.push(lines[++i]!.trim());
    const end = lines.findIndex((line, j) => j > i && /^ {2}\d+\) /.test(line));
    const entry = lines.slice(i + 1, end === -1 ? undefined : end);
    const message = entry.find((line) => line.trim())?.trim() ?? "";
    const file = entry
      .map(
        (line) =>
          /^\s+at (?:.*\()?(?:file:\/\/)?([^\s()]+):\d+:\d+\)?$/.exec(
            line,
          )?.[1],
      )
      .find(
        (path) =>
          path !== undefined &&
          !path.startsWith("node:") &&
          !path.includes("node_modules"),
      );
    failures.push(
      failureLine(file, title.join(" > ").replace(/:$/, ""), message),
    );
  }
  return failures;
}
