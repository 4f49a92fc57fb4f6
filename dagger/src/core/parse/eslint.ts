import type { GateVerdict } from "../gates.js";

interface EslintFileResult {
  filePath: string;
  messages: {
    ruleId: string | null;
    severity: 1 | 2;
    message: string;
    line?: number;
    column?: number;
  }[];
  errorCount: number;
  warningCount: number;
}

/** Gates ESLint's `--format json` output: no errors, and at most `maxWarnings` warnings when set. */
export function eslintGate(
  json: string,
  root: string,
  maxWarnings: number | null,
): GateVerdict {
  const files = JSON.parse(json) as EslintFileResult[];
  const errors = files.reduce((sum, file) => sum + file.errorCount, 0);
  const warnings = files.reduce((sum, file) => sum + file.warningCount, 0);
  const tooManyWarnings = maxWarnings !== null && warnings > maxWarnings;
  const details = files.flatMap((file) =>
    file.messages
      .filter((message) => message.severity === 2 || tooManyWarnings)
      .map((message) => {
        const where = `${relativeTo(root, file.filePath)}:${message.line ?? 0}:${message.column ?? 0}`;
        const kind = message.severity === 2 ? "error" : "warning";
        return `${where} ${kind} ${message.message}${message.ruleId ? ` (${message.ruleId})` : ""}`;
      }),
  );
  return {
    name: "lint: eslint",
    status: errors || tooManyWarnings ? "fail" : "pass",
    figure: `${errors} errors, ${warnings} warnings`,
    threshold:
      maxWarnings === null
        ? "0 errors"
        : `0 errors, <= ${maxWarnings} warnings`,
    details,
  };
}

/** Strips the container's source mount from a path so reports show repository paths. */
export function relativeTo(root: string, path: string): string {
  const prefix = root.endsWith("/") ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
