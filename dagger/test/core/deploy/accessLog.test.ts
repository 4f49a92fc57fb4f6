import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseAccessLog,
  summarizeTraffic,
} from "../../../src/core/deploy/accessLog.js";

// Real `docker logs` output of the proxy running renderProxyConfig's config with a 50% canary: live 172.19.0.2
// answers 200 and one 404, the canary 172.19.0.3 fails every third request, then is stopped, and nginx retries on live.
const log = readFileSync(
  new URL(
    "../../fixtures/tool-output/nginx-access-canary.log",
    import.meta.url,
  ),
  "utf8",
);
const LIVE = "172.19.0.2:3000";
const CANARY = "172.19.0.3:3000";

describe("parseAccessLog", () => {
  it("reads every request and credits a retried one to the upstream that answered", () => {
    const requests = parseAccessLog(log);
    expect(requests).toHaveLength(17);
    expect(requests[0]).toEqual({ status: 200, answeredBy: LIVE, ms: 13 });
    expect(requests[13]).toEqual({ status: 200, answeredBy: LIVE, ms: 7 });
  });

  it("skips lines that are not requests and requests no upstream answered", () => {
    const requests = parseAccessLog(
      '2026/11/23 21:32:42 [notice] 1#1: signal process started\n{"status":502,"upstream":"-","seconds":"-"}\n',
    );
    expect(requests).toEqual([{ status: 502, answeredBy: null, ms: null }]);
  });
});

describe("summarizeTraffic", () => {
  it("judges the canary by its own answers only, 4xx not counting as errors", () => {
    const requests = parseAccessLog(log);
    expect(summarizeTraffic(requests, CANARY)).toEqual({
      requests: 6,
      errors: 2,
      errorRate: 2 / 6,
      p95Ms: 11,
    });
    expect(summarizeTraffic(requests, LIVE)).toMatchObject({
      requests: 11,
      errors: 0,
    });
  });

  it("has nothing to judge when the upstream answered nothing", () => {
    expect(summarizeTraffic([], CANARY)).toEqual({
      requests: 0,
      errors: 0,
      errorRate: 0,
      p95Ms: 0,
    });
  });
});
