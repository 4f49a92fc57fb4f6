import { randomBytes } from "node:crypto";
import pg from "pg";

const HOW_TO_PROVIDE = [
  "Integration tests need a real PostgreSQL server and DATABASE_URL is not set.",
  "Set DATABASE_URL to a role that may CREATE DATABASE, e.g.",
  "  export DATABASE_URL=postgres://gantry:gantry@127.0.0.1:5432/postgres",
  'or start a local server with: eval "$(scripts/test-postgres.sh)"',
  "Each test file creates its own gantry_test_* database and drops it afterwards.",
].join("\n");

/** Throws (failing the test file) rather than skipping when no database is configured. */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error(HOW_TO_PROVIDE);
  return url;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdminClient<T>(
  adminUrl: string,
  work: (client: pg.Client) => Promise<T>,
) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the DATABASE_URL server, private to one test file. */
export async function createTestDatabase(
  adminUrl: string,
): Promise<TestDatabase> {
  const name = `gantry_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${name}`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}
