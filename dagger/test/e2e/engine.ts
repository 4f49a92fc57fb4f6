import { connection, dag, type Directory } from "@dagger.io/dagger";
import { createWriteStream, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect } from "vitest";
import { SOURCE_IGNORE } from "../../src/stages/workspace.js";

const runnerHost = process.env._EXPERIMENTAL_DAGGER_RUNNER_HOST;
if (!runnerHost && process.env.CI === "true") {
  throw new Error(
    "e2e lane: no Dagger engine. Start it with test/engine/up.sh and source test/engine/.state/env.sh " +
      "(_EXPERIMENTAL_DAGGER_RUNNER_HOST is unset); CI never skips this lane.",
  );
}

/** `describe` when an engine is configured; otherwise a visible skip that names how to start one (never under CI). */
export const describeWithEngine: typeof describe = runnerHost
  ? describe
  : (((name: string, fn: () => void) =>
      describe.skip(
        `${name} [skipped: no Dagger engine, run test/engine/up.sh]`,
        fn,
      )) as typeof describe);

const logDir = fileURLToPath(
  new URL("../../../test/engine/.state/", import.meta.url),
);

/** Runs `body` in a Dagger session on the configured engine, engine progress going to a log file. */
export async function inEngine<T>(body: () => Promise<T>): Promise<T> {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(`${logDir}/e2e-dagger.log`, { flags: "a" });
  let result: T | undefined;
  // No log.end(): the SDK pipes the CLI's stderr into it, and that pipe ends it once the CLI has exited.
  await connection(
    async () => {
      result = await body();
    },
    { LogOutput: log },
  );
  return result as T;
}

/** A repository on the host as the module receives it: dependencies and build output left out, like the default --source. */
export function hostRepository(path: string): Directory {
  return dag.host().directory(path, { exclude: SOURCE_IGNORE });
}

/** How long one e2e case may take on a cold 2-core machine. */
export const E2E_TIMEOUT = 1_200_000;

/** Path of the sample application fixture. */
export const SAMPLE_APP = fileURLToPath(
  new URL("../fixtures/sample-app", import.meta.url),
);

/** Path of this repository, which dogfoods the module. */
export const THIS_REPOSITORY = fileURLToPath(
  new URL("../../..", import.meta.url),
);

/** Awaits a promise expected to reject and returns its message, failing the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Whether a request from this machine gets the answer a working service gives; a refusal or network error is "no". */
async function answers(
  url: string,
  init: RequestInit,
  expected: number[],
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(10_000),
    });
    return expected.includes(response.status);
  } catch {
    return false;
  }
}

/**
 * Whether the advisory databases a scan asks are reachable from here, so a test can expect exactly one outcome:
 * on this project's machines they are not (the rows warn with the reason); elsewhere they answer (the rows pass).
 */
export const advisoryDatabases = {
  /** npm's bulk advisory endpoint, asked as `npm audit` asks it. */
  npmAudit: () =>
    answers(
      "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lodash: ["4.17.20"] }),
      },
      [200],
    ),
  /** Trivy's default database repository (its registry answers an anonymous ping with 401). */
  trivyDb: () => answers("https://ghcr.io/v2/", {}, [200, 401]),
};

/** Asserts the dependency audit's outcome this machine's reach allows: PASS, or WARN naming why it did not run. */
export async function expectAuditOutcome(report: string): Promise<void> {
  if (await advisoryDatabases.npmAudit()) {
    expect(report).toMatch(/scan: dependency audit +PASS/);
    return;
  }
  expect(report).toMatch(/scan: dependency audit +WARN +did not run/);
  expect(report).toMatch(
    /scan: dependency audit:\n {2}npm audit could not query the advisory database: /,
  );
}
