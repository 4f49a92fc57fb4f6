import { readFileSync } from "node:fs";

/** Reads a real tool output captured under test/fixtures/tool-output (see its README). */
export function toolOutput(name: string): string {
  return readFileSync(
    new URL(`../fixtures/tool-output/${name}`, import.meta.url),
    "utf8",
  );
}

/** The root the fixtures were produced in, like the pipeline's mount point. */
export const FIXTURE_ROOT = "/src";
