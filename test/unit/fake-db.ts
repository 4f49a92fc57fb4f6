import type { QueryResult, QueryResultRow } from "pg";
import type { Db } from "../../src/db.js";

export interface RecordedQuery {
  text: string;
  values?: unknown[];
}

/** A Db that answers every query with the given rows and records what was asked. */
export function fakeDb(
  rows: QueryResultRow[] = [],
): Db & { queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  return {
    queries,
    async query<Row extends QueryResultRow>(text: string, values?: unknown[]) {
      queries.push({ text, values });
      return { rows, rowCount: rows.length } as unknown as QueryResult<Row>;
    },
  };
}

/** A Db whose every query fails the way pg does when Postgres is down. */
export function unreachableDb(): Db {
  return {
    async query() {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
        code: "ECONNREFUSED",
      });
    },
  };
}
