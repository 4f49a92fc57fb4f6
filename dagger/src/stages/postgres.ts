import { dag, type Container, type Service } from "@dagger.io/dagger";
import { uncached, type Project } from "./workspace.js";

const HOST = "postgres";
// A throwaway database that lives only inside the engine's network for one run; still handled as a Secret. Its hash
// is in the cached initialized data directory, which is why it must stay a value known to be public.
const PASSWORD = "gantry-ephemeral";

// Runs the image's own entrypoint ("$@"): it initializes the data directory (POSTGRES_USER, POSTGRES_DB, the password)
// and then starts the server for good, which is the moment to stop it cleanly. Its temporary server during the
// initialization listens on the socket only, so an answer on TCP means the initialization is over.
const INITIALIZE = `"$@" postgres & server=$!
for _ in $(seq 600); do
  if pg_isready --host 127.0.0.1 --port 5432 --quiet; then kill -INT "$server"; wait "$server"; exit; fi
  kill -0 "$server" 2>/dev/null || { wait "$server"; echo "postgres exited during its initialization" >&2; exit 1; }
  sleep 0.2
done
echo "postgres did not finish its initialization in 120 s" >&2; exit 1`;

/**
 * A disposable Postgres, configured from the project's postgres settings. Its data directory is initialized once, in
 * a cached layer, so each run's server starts without initdb. `fresh`: a database no earlier run shares, for a
 * caller that reads state it wrote (the engine caches an exec by its inputs, and a service binding is one input: a
 * query of the same SQL against an identical service would replay an earlier run's answer).
 */
export async function postgresService(
  project: Project,
  { fresh = false } = {},
): Promise<Service> {
  const { images, postgres } = project.config;
  const image = dag.container().from(images.postgres);
  const initialized = image
    .withEnvVariable("POSTGRES_USER", postgres.user)
    .withEnvVariable("POSTGRES_DB", postgres.database)
    .withSecretVariable(
      "POSTGRES_PASSWORD",
      dag.setSecret("gantry-postgres-password", PASSWORD),
    )
    .withExec(["sh", "-c", INITIALIZE, "sh", ...(await image.entrypoint())]);
  return (fresh ? uncached(initialized) : initialized)
    .withExposedPort(5432)
    .asService({ useEntrypoint: true });
}

/** Binds `database` as host "postgres" and exposes its URL (a Secret) under the configured variable. */
export function withDatabase(project: Project, database: Service) {
  const { user, database: name, urlEnv } = project.config.postgres;
  const url = `postgres://${user}:${PASSWORD}@${HOST}:5432/${name}`;
  return (container: Container): Container =>
    container
      .withServiceBinding(HOST, database)
      .withSecretVariable(urlEnv, dag.setSecret("gantry-database-url", url));
}
