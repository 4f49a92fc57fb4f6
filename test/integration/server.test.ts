import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerConfig } from "../../src/config.js";
import { runMigrateCli } from "../../src/migrate.js";
import { startServer, type RunningServer } from "../../src/server.js";
import {
  createTestDatabase,
  requireDatabaseUrl,
  type TestDatabase,
} from "./support/database.js";

const adminUrl = requireDatabaseUrl();
let database: TestDatabase;
let server: RunningServer;

function configFor(databaseUrl: string) {
  return parseServerConfig({
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    APP_VERSION: "9.9.9-test",
    GIT_SHA: "feedbeef",
    DB_CONNECT_TIMEOUT_MS: "1000",
  });
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `postgres://gantry:gantry@127.0.0.1:${port}/nowhere`;
}

beforeAll(async () => {
  database = await createTestDatabase(adminUrl);
  const migrated = await runMigrateCli(
    ["up"],
    { DATABASE_URL: database.url },
    {
      out: () => {},
      err: (line) => console.error(line),
    },
  );
  expect(migrated).toBe(0);
  server = await startServer(configFor(database.url));
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

interface NoteJson {
  id: number;
  title: string;
  body: string;
  created_at: string;
}

async function getJson<T>(path: string): Promise<T> {
  return (await fetch(`${server.url}${path}`)).json() as Promise<T>;
}

async function listTitles(limit?: number): Promise<string[]> {
  const query = limit === undefined ? "" : `?limit=${limit}`;
  const { notes } = await getJson<{ notes: NoteJson[] }>(`/notes${query}`);
  return notes.map((note) => note.title);
}

async function postNote(title: string, body: string) {
  return fetch(`${server.url}/notes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title, body }),
  });
}

describe("the real server over TCP against Postgres", () => {
  it("listens on the port the OS picked", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
  });

  it("GET /readyz is 200 when Postgres answers", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  it("GET /version reports the configured build", async () => {
    expect(await getJson("/version")).toEqual({
      version: "9.9.9-test",
      gitSha: "feedbeef",
    });
  });

  it("POST /notes stores notes and GET /notes lists them newest first, bounded by limit", async () => {
    const created = await postNote("first", "one");
    expect(created.status).toBe(201);
    const first = (await created.json()) as NoteJson;
    expect(first).toMatchObject({
      id: expect.any(Number),
      title: "first",
      body: "one",
    });
    expect(new Date(first.created_at).getTime()).not.toBeNaN();
    await postNote("second", "two");
    await postNote("third", "three");

    expect(await listTitles()).toEqual(["third", "second", "first"]);
    expect(await listTitles(2)).toEqual(["third", "second"]);
  });

  it("POST /notes rejects invalid input with field errors and stores nothing", async () => {
    const before = await listTitles(100);
    const response = await postNote("", "no title");
    expect(response.status).toBe(400);
    const { fieldErrors } = (await response.json()) as {
      fieldErrors: Record<string, string[]>;
    };
    expect(fieldErrors.title).toBeDefined();
    expect(await listTitles(100)).toEqual(before);
  });

  it("echoes x-request-id, or makes one up", async () => {
    const echoed = await fetch(`${server.url}/healthz`, {
      headers: { "x-request-id": "ci-run-7" },
    });
    expect(echoed.headers.get("x-request-id")).toBe("ci-run-7");
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("GET /metrics counts the requests it served", async () => {
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const countOf = (text: string) =>
      Number(
        /^http_requests_total\{method="GET",route="\/version",status="200"\} (\d+)$/m.exec(
          text,
        )?.[1] ?? 0,
      );

    const before = countOf(await scrape());
    await fetch(`${server.url}/version`);
    await fetch(`${server.url}/version`);
    const text = await scrape();

    expect(countOf(text)).toBe(before + 2);
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\/notes",status="201"\} 3$/m,
    );
  });

  it("GET /readyz is 503 (and /healthz still 200) when Postgres is unreachable", async () => {
    const cutOff = await startServer(configFor(await closedPortUrl()));
    try {
      const ready = await fetch(`${cutOff.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: "unavailable",
        database: "unreachable",
      });
      expect((await fetch(`${cutOff.url}/healthz`)).status).toBe(200);
    } finally {
      await cutOff.close();
    }
  });

  it("fails to start, releasing the pool, when the port is taken", async () => {
    const port = Number(new URL(server.url).port);
    const config = { ...configFor(database.url), PORT: port };
    await expect(startServer(config)).rejects.toThrow(/EADDRINUSE/);
  });
});
