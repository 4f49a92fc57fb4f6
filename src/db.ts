import pg from "pg";
import type { QueryResult, QueryResultRow } from "pg";

/** The slice of pg.Pool the routes use, so unit tests can pass a fake. */
export interface Db {
  query<Row extends QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<Row>>;
}

export interface PoolOptions {
  databaseUrl: string;
  max: number;
  connectTimeoutMs: number;
  onIdleError: (error: Error) => void;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.max,
    // Bounds how long /readyz waits when Postgres is unreachable.
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  // Without a listener, an idle client dropped by a Postgres restart crashes the process.
  pool.on("error", options.onIdleError);
  return pool;
}
