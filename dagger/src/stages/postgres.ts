import { dag, type Container, type Service } from "@dagger.io/dagger";
import { uncached, type Project } from "./workspace.js";

const HOST = "postgres";
// A throwaway database that lives only inside the engine's network for one run; still handled as a Secret.
const PASSWORD = "gantry-ephemeral";

/**
 * A disposable Postgres, configured from the project's postgres settings. `fresh`: a database no earlier run shares,
 * for a caller that reads state it wrote (the engine caches an exec by its inputs, and a service binding is one input:
 * a query of the same SQL against an identical service would replay an earlier run's answer).
 */
export function postgresService(
  project: Project,
  { fresh = false } = {},
): Service {
  const { images, postgres } = project.config;
  const server = dag.container().from(images.postgres);
  return (fresh ? uncached(server) : server)
    .withEnvVariable("POSTGRES_USER", postgres.user)
    .withEnvVariable("POSTGRES_DB", postgres.database)
    .withSecretVariable(
      "POSTGRES_PASSWORD",
      dag.setSecret("gantry-postgres-password", PASSWORD),
    )
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
