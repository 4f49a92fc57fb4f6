import { randomUUID } from "node:crypto";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Db } from "./db.js";
import { createMetrics } from "./metrics.js";
import { registerNoteRoutes } from "./notes.js";

export interface BuildInfo {
  version: string;
  gitSha: string;
}

export interface AppDeps {
  db: Db;
  buildInfo: BuildInfo;
  logLevel: string;
}

const REQUEST_ID_HEADER = "x-request-id";
// Echoed into logs and headers, so accept only short, printable ids from callers.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildApp(deps: AppDeps): FastifyInstance {
  const metrics = createMetrics();

  const app = Fastify({
    logger: {
      level: deps.logLevel,
      base: { service: "gantry-service", version: deps.buildInfo.version },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
    },
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === "string" &&
        ACCEPTABLE_REQUEST_ID.test(incoming)
        ? incoming
        : randomUUID();
    },
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  app.addHook("onResponse", async (request, reply) => {
    metrics.observe({
      method: request.method,
      // The route template (/notes, not /notes?limit=5) keeps label cardinality bounded.
      route: request.routeOptions.url ?? "unmatched",
      status: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) {
      return reply
        .code(status)
        .send({ error: error.code ?? "bad_request", message: error.message });
    }
    // Database and programming errors can leak internals; log them, answer generically.
    request.log.error({ err: error }, "request failed");
    return reply
      .code(500)
      .send({ error: "internal_error", requestId: request.id });
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (request, reply) => {
    try {
      await deps.db.query("SELECT 1");
      return { status: "ready" };
    } catch (error) {
      request.log.warn(
        { err: error },
        "readiness check failed: database unreachable",
      );
      return reply
        .code(503)
        .send({ status: "unavailable", database: "unreachable" });
    }
  });

  app.get("/version", async () => deps.buildInfo);

  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  registerNoteRoutes(app, deps.db);

  return app;
}
