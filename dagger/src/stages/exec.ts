import type { Container } from "@dagger.io/dagger";
import { capture, tail, type ExecResult } from "./workspace.js";

/** The trimmed stdout of a command that had to succeed; a failure names the command (`what`) and shows its last output lines. */
export function succeeded(result: ExecResult, what: string): string {
  if (result.exitCode !== 0)
    throw new Error(`${what} failed (${tail(result)})`);
  return result.stdout.trim();
}

/**
 * Runs a command that has to succeed, for its output and the container after it. Built on `capture`, which returns a
 * failed exit code as a tool's verdict; here any exit code but 0 is an error.
 */
export async function run(
  container: Container,
  args: string[],
  what: string,
): Promise<{ container: Container; stdout: string }> {
  const result = await capture(container, args, [0]);
  return { container: result.container, stdout: succeeded(result, what) };
}
