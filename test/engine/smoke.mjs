// Library-mode check: the TypeScript SDK must run our CLI
// ($_EXPERIMENTAL_DAGGER_CLI_BIN) against our engine, not download one.
// Run after `source test/engine/.state/env.sh`.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);
const require = createRequire(path.join(root, "dagger/package.json"));
const { connection, dag } = await import(require.resolve("@dagger.io/dagger"));

for (const v of [
  "_EXPERIMENTAL_DAGGER_CLI_BIN",
  "_EXPERIMENTAL_DAGGER_RUNNER_HOST",
]) {
  if (!process.env[v])
    throw new Error(`${v} is not set: source test/engine/.state/env.sh`);
}

await connection(async () => {
  const out = await dag
    .container()
    .from("node:22-bookworm-slim")
    .withExec(["node", "-v"])
    .stdout();
  if (!out.startsWith("v22."))
    throw new Error(`unexpected node -v output: ${out}`);
  console.log(`smoke.mjs: node -v in Dagger = ${out.trim()}`);

  // postgres:15-bookworm as a service, queried from a second container.
  const db = dag
    .container()
    .from("postgres:15-bookworm")
    .withEnvVariable("POSTGRES_PASSWORD", "secret")
    .withEnvVariable("POSTGRES_USER", "app")
    .withEnvVariable("POSTGRES_DB", "appdb")
    .withExposedPort(5432)
    .asService({ useEntrypoint: true });
  const answer = await dag
    .container()
    .from("postgres:15-bookworm")
    .withServiceBinding("db", db)
    .withEnvVariable("PGPASSWORD", "secret")
    .withEnvVariable("CACHEBUST", String(Date.now()))
    .withExec([
      "sh",
      "-c",
      "for i in $(seq 60); do pg_isready -q -h db && exec psql -h db -U app -d appdb -tAc 'select 40+2'; sleep 1; done; exit 1",
    ])
    .stdout();
  if (answer.trim() !== "42")
    throw new Error(`unexpected postgres answer: ${answer}`);
  console.log("smoke.mjs: postgres service answered select 40+2 = 42");
});
