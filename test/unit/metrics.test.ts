import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { createMetrics } from "../../src/metrics.js";
import { fakeDb } from "./fake-db.js";

describe("metrics", () => {
  it("counts requests by method, route template and status", async () => {
    const metrics = createMetrics();
    metrics.observe({
      method: "GET",
      route: "/notes",
      status: 200,
      durationSeconds: 0.02,
    });
    metrics.observe({
      method: "GET",
      route: "/notes",
      status: 200,
      durationSeconds: 0.3,
    });

    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_requests_total{method="GET",route="/notes",status="200"} 2',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.025",method="GET",route="/notes",status="200"} 1',
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/notes",status="200"} 2',
    );
  });

  it("GET /metrics exposes Prometheus text including process metrics and app traffic", async () => {
    const app = buildApp({
      db: fakeDb(),
      buildInfo: { version: "1.0.0", gitSha: "x" },
      logLevel: "silent",
    });
    await app.inject({ url: "/healthz" });
    await app.inject({ url: "/no-such-route?id=1" });

    const response = await app.inject({ url: "/metrics" });
    await app.close();

    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    expect(response.body).toContain("process_cpu_user_seconds_total");
    expect(response.body).toContain("nodejs_eventloop_lag_seconds");
    expect(response.body).toContain(
      'http_requests_total{method="GET",route="/healthz",status="200"} 1',
    );
    // Unknown paths share one label value, so scanners cannot blow up cardinality.
    expect(response.body).toContain(
      'http_requests_total{method="GET",route="unmatched",status="404"} 1',
    );
  });
});
