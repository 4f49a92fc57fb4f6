import type { Container } from "@dagger.io/dagger";
import { postgresService, withDatabase } from "../postgres.js";
import { uncached, type Project } from "../workspace.js";
import type { LoadTarget } from "./runners.js";

const APP_HOST = "app";

/**
 * Runs `body` against the image started as a service with the app's environment, Postgres bound and migrated first
 * when enabled; both are stopped afterwards, so every step of a stress run hits the same running service.
 */
export async function withServiceUnderLoad<T>(
  project: Project,
  image: Container,
  body: (target: LoadTarget) => Promise<T>,
): Promise<T> {
  const { config } = project;
  const database = config.postgres.enabled
    ? await postgresService(project).start()
    : undefined;
  try {
    let app = database ? image.with(withDatabase(project, database)) : image;
    for (const [name, value] of Object.entries(config.app.env))
      app = app.withEnvVariable(name, value);
    // Never a cached exec: this Postgres is new each run, so a replayed migration would leave it empty.
    if (database && config.app.migrate)
      await uncached(app).withExec(config.app.migrate).sync();
    const service = await app
      .withExposedPort(config.app.port)
      .asService({ useEntrypoint: true })
      .start();
    try {
      return await body({ service, host: APP_HOST, port: config.app.port });
    } finally {
      await service.stop();
    }
  } finally {
    await database?.stop();
  }
}
