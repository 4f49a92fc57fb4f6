import { ExecError, type Container } from "@dagger.io/dagger";
import { randomUUID } from "node:crypto";
import { tail } from "../workspace.js";

/**
 * The container with a value no other exec shares: the engine caches an exec by its inputs, so a query of a remote
 * (tags, releases) or a push would otherwise replay the answer of an earlier run.
 */
export function uncached(container: Container): Container {
  return container.withEnvVariable("GANTRY_RUN_ID", randomUUID());
}

/** Runs `args` and returns the container after it and its trimmed stdout; fails with the command's last output lines, labelled `what`. */
export async function run(
  container: Container,
  args: string[],
  what: string,
): Promise<{ container: Container; stdout: string }> {
  const ran = container.withExec(args);
  try {
    return { container: ran, stdout: (await ran.stdout()).trim() };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    throw new Error(
      `${what} failed (${tail({ exitCode: error.exitCode, stdout: error.stdout, stderr: error.stderr, container: ran })})`,
      { cause: error },
    );
  }
}
