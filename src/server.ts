import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { buildApp } from "./app.js";
import { orExit, parseServerConfig, type ServerConfig } from "./config.js";
import { createPool } from "./db.js";
import { isEntrypoint } from "./entrypoint.js";

export interface RunningServer {
  app: FastifyInstance;
  pool: pg.Pool;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the pool. */
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
): Promise<RunningServer> {
  const pool = createPool({
    databaseUrl: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    onIdleError: (error) =>
      app.log.warn({ err: error }, "idle database connection lost"),
  });
  const app = buildApp({
    db: pool,
    buildInfo: { version: config.APP_VERSION, gitSha: config.GIT_SHA },
    logLevel: config.LOG_LEVEL,
  });
  try {
    const url = await app.listen({ port: config.PORT, host: config.HOST });
    return {
      app,
      pool,
      url,
      async close() {
        await app.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * Returns the signal handler: drain and exit 0, or exit 1 if draining outlasts
 * timeoutMs (so `docker stop` ends cleanly well before its SIGKILL).
 */
export function createShutdown(
  server: RunningServer,
  timeoutMs: number,
  exit: (code: number) => void = process.exit,
): (signal: string) => Promise<void> {
  let shuttingDown = false;
  return async (signal) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const log = server.app.log;
    log.info({ signal }, "shutting down: draining in-flight requests");
    const forceExit = setTimeout(() => {
      log.error({ timeoutMs }, "shutdown timed out; exiting anyway");
      exit(1);
    }, timeoutMs);
    forceExit.unref();
    try {
      await server.close();
      log.info("shutdown complete");
      exit(0);
    } catch (error) {
      log.error({ err: error }, "shutdown failed");
      exit(1);
    } finally {
      clearTimeout(forceExit);
    }
  };
}

async function main(): Promise<void> {
  const config = orExit(() => parseServerConfig(process.env));
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    process.stderr.write(`failed to start: ${String(error)}\n`);
    process.exit(1);
  }
  const shutdown = createShutdown(server, config.SHUTDOWN_TIMEOUT_MS);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

if (isEntrypoint(import.meta.url)) await main();
