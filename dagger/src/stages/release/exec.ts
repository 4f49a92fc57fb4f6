import type { Container } from "@dagger.io/dagger";
import { capture, tail } from "../workspace.js";

/** Runs `args` and returns the container after it and its trimmed stdout; fails with the command's last output lines, labelled `what`. */
export async function run(
  container: Container,
  args: string[],
  what: string,
): Promise<{ container: Container; stdout: string }> {
  const result = await capture(container, args, [0]);
  if (result.exitCode !== 0)
    throw new Error(`${what} failed (${tail(result)})`);
  return { container: result.container, stdout: result.stdout.trim() };
}
