/**
 * Calls a Gantry function on a host directory in SDK library mode, for machines whose engine cannot load
 * TypeScript modules (see test/engine/README.md). Elsewhere, `dagger call <function>` is the same thing.
 *
 *   tsx scripts/call.ts ci --source .. --format markdown --base origin/main
 */
import { connection, dag, type Directory } from "@dagger.io/dagger";
import { parseArgs } from "node:util";
import { parseLoadProfile } from "../src/core/config.js";
import { parseReportFormat, parseSkippedStages } from "../src/core/report.js";
import { Gantry } from "../src/index.js";
import { SOURCE_IGNORE } from "../src/stages/workspace.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: "string", default: "." },
    format: { type: "string", default: "text" },
    skip: { type: "string", multiple: true, default: [] },
    profile: { type: "string", default: "smoke" },
    base: { type: "string" },
  },
});

const functions: Record<
  string,
  (gantry: Gantry, source: Directory) => Promise<string>
> = {
  ci: (gantry, source) =>
    gantry.ci(
      source,
      parseReportFormat(values.format),
      parseSkippedStages(values.skip),
      values.base,
      undefined,
      values.base === undefined
        ? undefined
        : dag.host().directory(`${values.source}/.git`),
    ),
  lint: (gantry, source) => gantry.lint(source),
  typecheck: (gantry, source) => gantry.typecheck(source),
  test: (gantry, source) => gantry.test(source),
  build: (gantry, source) => gantry.build(source),
  scan: (gantry, source) => gantry.scan(source),
  "load-test": (gantry, source) =>
    gantry.loadTest(source, parseLoadProfile(values.profile)),
  lighthouse: (gantry, source) => gantry.lighthouse(source),
};

const name = positionals[0] ?? "";
const call = functions[name];
if (!call) {
  console.error(
    `usage: call.ts <${Object.keys(functions).join("|")}> [--source DIR] [--format text|markdown] [--skip STAGE]… [--base REF] [--profile P]`,
  );
  process.exit(2);
}

try {
  await connection(
    async () => {
      const source = dag
        .host()
        .directory(values.source, { exclude: SOURCE_IGNORE });
      process.stdout.write(await call(new Gantry(), source));
    },
    { LogOutput: process.stderr },
  );
} catch (error) {
  console.error(
    (error as { cause?: Error }).cause?.message ?? (error as Error).message,
  );
  process.exit(1);
}
