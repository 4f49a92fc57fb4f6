import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeUnhealthy,
  parseHealthState,
  PROBE_SCRIPT,
  countHealthFailures,
  watchBreaches,
  type ProbePlan,
  type ProbeSample,
} from "../../../src/core/deploy/probe.js";

const limits = { maxErrorRate: 0.01, p95Ms: 500, maxHealthFailures: 3 };

function samples(count: number, sample: Partial<ProbeSample>): ProbeSample[] {
  return Array.from({ length: count }, () => ({
    path: "/version",
    status: 200,
    ms: 10,
    ...sample,
  }));
}

describe("watchBreaches", () => {
  const healthy = {
    requests: 100,
    errors: 0,
    errorRate: 0,
    p95Ms: 10,
    healthFailures: 0,
  };

  it("passes a healthy window", () => {
    expect(watchBreaches(healthy, limits)).toEqual([]);
  });

  it("names each breached threshold", () => {
    const summary = {
      requests: 100,
      errors: 10,
      errorRate: 0.1,
      p95Ms: 900,
      healthFailures: 5,
    };
    expect(watchBreaches(summary, limits)).toEqual([
      "error rate 10.0% (10/100) above 1.0%",
      "p95 latency 900 ms above 500 ms",
      "5 failed health checks (limit 3)",
    ]);
  });

  it("fails a window in which the new version answered nothing", () => {
    expect(watchBreaches({ ...healthy, requests: 0 }, limits)).toEqual([
      "the new version answered no request",
    ]);
  });
});

describe("countHealthFailures", () => {
  it("counts failed or unanswered requests to the health path only", () => {
    const window = [
      ...samples(90, {}),
      ...samples(5, { status: 500 }),
      ...samples(3, { path: "/healthz", status: 0 }),
      ...samples(2, { path: "/healthz", status: 200 }),
    ];
    expect(countHealthFailures(window, "/healthz")).toBe(3);
  });
});

describe("parseHealthState", () => {
  it("reads docker inspect's state and health", () => {
    expect(parseHealthState("running starting\n")).toBe("starting");
    expect(parseHealthState("running healthy")).toBe("healthy");
    expect(parseHealthState("running none")).toBe("none");
    expect(parseHealthState("exited unhealthy")).toBe("exited");
    expect(() => parseHealthState("running ???")).toThrow(
      "unexpected docker inspect output",
    );
  });
});

describe("PROBE_SCRIPT", () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    let calls = 0;
    server = createServer((request, response) => {
      calls += 1;
      response
        .writeHead(request.url === "/broken" || calls < 3 ? 503 : 200)
        .end();
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function probe(
    plan: Omit<ProbePlan, "baseUrl">,
    url = baseUrl,
  ): Promise<ProbeSample[]> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "--eval", PROBE_SCRIPT],
      { env: { GANTRY_PROBE: JSON.stringify({ ...plan, baseUrl: url }) } },
    );
    return JSON.parse(stdout) as ProbeSample[];
  }

  it("retries until a round succeeds when untilOk", async () => {
    const result = await probe({
      paths: ["/ready"],
      durationMs: 5000,
      intervalMs: 10,
      untilOk: true,
    });
    expect(result.map((sample) => sample.status)).toEqual([503, 503, 200]);
  });

  it("makes one round when the duration is 0, recording refused connections as status 0", async () => {
    const once = { durationMs: 0, intervalMs: 0, untilOk: false };
    const result = await probe({ ...once, paths: ["/broken", "/ok"] });
    expect(result.map((sample) => sample.status)).toEqual([503, 200]);
    const closed = createServer();
    await new Promise<void>((resolve) =>
      closed.listen(0, "127.0.0.1", resolve),
    );
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const [refused] = await probe(
      { ...once, paths: ["/"] },
      `http://127.0.0.1:${port}`,
    );
    expect(refused.status).toBe(0);
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});

describe("describeUnhealthy", () => {
  it("tells the failing streak and the last check's output", () => {
    const health = {
      Status: "unhealthy",
      FailingStreak: 3,
      Log: [
        { ExitCode: 0, Output: "" },
        { ExitCode: 1, Output: "connection refused\n" },
      ],
    };
    expect(describeUnhealthy(JSON.stringify(health))).toBe(
      "3 failed health checks in a row, the last exited 1: connection refused",
    );
    expect(describeUnhealthy("null")).toBe("no health check result");
  });
});

describe("docker health, edge cases", () => {
  it("a created or running container reports its health; a dead one has exited", () => {
    expect(parseHealthState("created healthy")).toBe("healthy");
    expect(parseHealthState("running unhealthy")).toBe("unhealthy");
    expect(parseHealthState("restarting healthy")).toBe("exited");
    expect(() => parseHealthState("  running ???\n")).toThrow(
      'unexpected docker inspect output: "running ???"',
    );
  });

  it("describes the newest of several checks, its output cut to 200 characters, nothing after an empty one", () => {
    const log = (...outputs: string[]) =>
      JSON.stringify({
        FailingStreak: 2,
        Log: outputs.map((Output, index) => ({ ExitCode: index, Output })),
      });
    expect(describeUnhealthy(log("first", "second", "x".repeat(300)))).toBe(
      `2 failed health checks in a row, the last exited 2: ${"x".repeat(200)}`,
    );
    expect(describeUnhealthy(log("first", " \n"))).toBe(
      "2 failed health checks in a row, the last exited 1",
    );
  });
});
