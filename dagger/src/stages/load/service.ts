import type { Container } from "@dagger.io/dagger";
import { postgresService, withDatabase } from "../postgres.js";
import type { Project } from "../workspace.js";
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
  // Its own Postgres: one defined like the test stage's would be the same service in the engine, shared with the
  // tests running beside it in ci and stopped under them when the load test ends.
  const database = config.postgres.enabled
    ? await (await postgresService(project, { fresh: true })).start()
    : undefined;
  try {
    let app = database ? image.with(withDatabase(project, database)) : image;
    for (const [name, value] of Object.entries(config.app.env))
      app = app.withEnvVariable(name, value);
    // Bound to a fresh Postgres, the migration is never an exec the engine has cached.
    if (database && config.app.migrate)
      await app.withExec(config.app.migrate).sync();
    const service = await (
      await withStartupProbeEverySecond(app)
    )
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

/**
 * The image's HEALTHCHECK, if it has one, retried every second while the service starts (unless it sets its own
 * start interval): Dagger waits for it before the service counts as started, and its first try usually comes before
 * the server listens, after which a plain `--interval=30s` would hold the run for the whole interval. Only the
 * service started here changes; the image that ships keeps its HEALTHCHECK as written.
 */
async function withStartupProbeEverySecond(app: Container): Promise<Container> {
  const check = app.dockerHealthcheck();
  const args = await check.args().catch(() => undefined);
  if (!args?.length) return app;
  const [shell, interval, timeout, startPeriod, startInterval, retries] =
    await Promise.all([
      check.shell(),
      check.interval(),
      check.timeout(),
      check.startPeriod(),
      check.startInterval(),
      check.retries(),
    ]);
  if (isSet(startInterval)) return app;
  return app.withDockerHealthcheck(args, {
    shell,
    startInterval: "1s",
    ...(isSet(interval) && { interval }),
    ...(isSet(timeout) && { timeout }),
    ...(isSet(startPeriod) && { startPeriod }),
    ...(retries > 0 && { retries }),
  });
}

/** A healthcheck duration the image set ("0s" or empty when it left it to the default). */
function isSet(duration: string): boolean {
  return duration !== "" && !/^0[a-z]*$/.test(duration);
}
