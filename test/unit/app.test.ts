import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.js";
import type { Db } from "../../src/db.js";
import { fakeDb, unreachableDb } from "./fake-db.js";

const buildInfo = { version: "1.2.3", gitSha: "0123abc" };
let app: FastifyInstance;

function appWith(db: Db): FastifyInstance {
  app = buildApp({ db, buildInfo, logLevel: "silent" });
  return app;
}

afterEach(async () => {
  await app.close();
});

describe("probes", () => {
  it("GET /healthz answers without touching the database", async () => {
    const response = await appWith(unreachableDb()).inject({ url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz is 200 when SELECT 1 succeeds", async () => {
    const db = fakeDb([{ "?column?": 1 }]);
    const response = await appWith(db).inject({ url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(db.queries).toEqual([{ text: "SELECT 1", values: undefined }]);
  });

  it("GET /readyz is 503 when the database is unreachable", async () => {
    const response = await appWith(unreachableDb()).inject({ url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: "unavailable",
      database: "unreachable",
    });
  });

  it("GET /version returns the baked build info", async () => {
    const response = await appWith(fakeDb()).inject({ url: "/version" });
    expect(response.json()).toEqual(buildInfo);
  });
});

describe("request ids", () => {
  it("echoes an incoming x-request-id", async () => {
    const response = await appWith(fakeDb()).inject({
      url: "/healthz",
      headers: { "x-request-id": "deploy-42.abc" },
    });
    expect(response.headers["x-request-id"]).toBe("deploy-42.abc");
  });

  it("generates a UUID when none (or an unsafe one) is given", async () => {
    appWith(fakeDb());
    const plain = await app.inject({ url: "/healthz" });
    const unsafe = await app.inject({
      url: "/healthz",
      headers: { "x-request-id": "bad id\twith spaces" },
    });
    for (const response of [plain, unsafe]) {
      expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("notes", () => {
  const note = {
    id: 7,
    title: "Hello",
    body: "World",
    created_at: new Date(0),
  };

  it("POST /notes inserts a trimmed title and answers 201 with the row", async () => {
    const db = fakeDb([note]);
    const response = await appWith(db).inject({
      method: "POST",
      url: "/notes",
      payload: { title: "  Hello ", body: "World" },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      ...note,
      created_at: "1970-01-01T00:00:00.000Z",
    });
    expect(db.queries[0]?.values).toEqual(["Hello", "World"]);
  });

  it("POST /notes answers 400 with field errors, before touching the database", async () => {
    const response = await appWith(unreachableDb()).inject({
      method: "POST",
      url: "/notes",
      payload: { title: "", body: 5 },
    });
    expect(response.statusCode).toBe(400);
    const { error, fieldErrors } = response.json();
    expect(error).toBe("validation_failed");
    expect(Object.keys(fieldErrors).sort()).toEqual(["body", "title"]);
  });

  it("POST /notes with malformed JSON is a 400, not a 500", async () => {
    const response = await appWith(fakeDb()).inject({
      method: "POST",
      url: "/notes",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(400);
  });

  it("GET /notes lists newest first with the default limit", async () => {
    const db = fakeDb([note]);
    const response = await appWith(db).inject({ url: "/notes" });
    expect(response.statusCode).toBe(200);
    expect(response.json().notes).toHaveLength(1);
    expect(db.queries[0]?.text).toMatch(
      /ORDER BY created_at DESC, id DESC LIMIT \$1/,
    );
    expect(db.queries[0]?.values).toEqual([20]);
  });

  it.each(["0", "101", "ten"])(
    "GET /notes?limit=%s is rejected",
    async (limit) => {
      const response = await appWith(fakeDb()).inject({
        url: `/notes?limit=${limit}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().fieldErrors).toHaveProperty("limit");
    },
  );

  it("hides database errors behind a generic 500 that carries the request id", async () => {
    const response = await appWith(unreachableDb()).inject({
      url: "/notes",
      headers: { "x-request-id": "trace-me" },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: "internal_error",
      requestId: "trace-me",
    });
  });
});
