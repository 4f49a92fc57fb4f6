// Every threshold decision of the core on both sides of its boundary: the value at the limit and one step past it.
// The inputs are synthetic (hand-written inline), since a boundary is a number no real run lands on by itself.
import { describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "../../src/core/config.js";
import { coverageMinimumGates } from "../../src/core/coverage.js";
import { summarizeTraffic } from "../../src/core/deploy/accessLog.js";
import {
  countHealthFailures,
  describeFailures,
  isSuccess,
  watchBreaches,
} from "../../src/core/deploy/probe.js";
import {
  atLeast,
  maximumGate,
  minimumGate,
  severityGate,
  type Finding,
} from "../../src/core/gates.js";
import { eslintGate } from "../../src/core/parse/eslint.js";
import { testsGate } from "../../src/core/parse/testCounts.js";
import { coverageGates } from "../../src/core/parse/vitest.js";

const finding = (severity: Severity): Finding => ({
  tool: "trivy",
  id: `CVE-${severity}`,
  severity,
  message: "pkg 1.0.0",
});

describe("severity gate", () => {
  const cases = SEVERITIES.flatMap((failOn, thresholdRank) =>
    SEVERITIES.map(
      (severity, rank) => [severity, failOn, rank >= thresholdRank] as const,
    ),
  );

  it.each(cases)(
    "a %s finding against failOn %s blocks: %s",
    (severity, failOn, blocks) => {
      expect(atLeast(severity, failOn)).toBe(blocks);
      const gate = severityGate("scan", [finding(severity)], {
        failOn,
        ignore: [],
      });
      expect(gate.status).toBe(blocks ? "fail" : "pass");
      expect(gate.threshold).toBe(`none >= ${failOn}`);
      expect(gate.details).toHaveLength(blocks ? 2 : 0);
    },
  );

  it("counts every severity, highest first, and ignores only the listed ids", () => {
    const gate = severityGate("scan", SEVERITIES.map(finding), {
      failOn: "critical",
      ignore: [{ id: "CVE-critical", reason: "unreachable" }],
    });
    expect(gate).toMatchObject({
      status: "pass",
      figure: "1 high, 1 medium, 1 low (1 ignored)",
    });
    expect(
      severityGate("scan", [], { failOn: "low", ignore: [] }),
    ).toMatchObject({ status: "pass", figure: "0 findings", details: [] });
  });

  it("lists each blocking finding with its location, then how to accept the first one", () => {
    const gate = severityGate(
      "scan",
      [
        { ...finding("high"), location: "package-lock.json" },
        finding("critical"),
        finding("low"),
      ],
      { failOn: "high", ignore: [] },
    );
    expect(gate.details).toEqual([
      "[high] trivy CVE-high at package-lock.json: pkg 1.0.0",
      "[critical] trivy CVE-critical: pkg 1.0.0",
      'a finding that is accepted goes in gantry.config.json: "scan": { "ignore": [{ "id": "CVE-high", "reason": "why it is safe" }] }',
    ]);
  });
});

describe("minimum and maximum gates", () => {
  it("a minimum is met at the limit and missed just below it", () => {
    expect(minimumGate("m", 80, 80)).toEqual({
      name: "m",
      status: "pass",
      figure: "80%",
      threshold: ">= 80%",
      details: [],
    });
    expect(minimumGate("m", 79.999, 80, " points")).toEqual({
      name: "m",
      status: "fail",
      figure: "80 points",
      threshold: ">= 80 points",
      details: ["m is 80 points, below the required 80 points"],
    });
  });

  it("a maximum holds at the limit and is exceeded just above it", () => {
    expect(maximumGate("x", 0.5, 0.5)).toEqual({
      name: "x",
      status: "pass",
      figure: "0.5",
      threshold: "<= 0.5",
      details: [],
    });
    expect(maximumGate("x", 500.004, 500, " ms")).toEqual({
      name: "x",
      status: "fail",
      figure: "500 ms",
      threshold: "<= 500 ms",
      details: ["x is 500 ms, above the allowed 500 ms"],
    });
  });

  it("figures are rounded to two decimals", () => {
    expect(minimumGate("m", 71.4285, 0).figure).toBe("71.43%");
    expect(maximumGate("x", 2.005001, 9).figure).toBe("2.01");
  });
});

describe("coverage", () => {
  const summary = (pct: number | "Unknown") =>
    JSON.stringify({
      total: {
        lines: { pct },
        statements: { pct },
        functions: { pct },
        branches: { pct },
      },
    });

  it("a configured minimum blocks just below it and passes at it", () => {
    expect(coverageMinimumGates(summary(89.99), { lines: 90 })[0].status).toBe(
      "fail",
    );
    expect(coverageMinimumGates(summary(90), { lines: 90 })[0].status).toBe(
      "pass",
    );
  });

  it("Gantry's advisory 80 % warns just below it and passes at it", () => {
    expect(coverageMinimumGates(summary(79.99), {})).toMatchObject([
      { name: "coverage: lines", status: "warn", threshold: ">= 80%" },
    ]);
    expect(coverageMinimumGates(summary(80), {})).toMatchObject([
      { name: "coverage: lines", status: "pass", details: [] },
    ]);
  });

  it('an "Unknown" percentage (nothing measured) counts as 0 %, not as 100 %', () => {
    expect(coverageGates(summary("Unknown"), { lines: 1 })).toMatchObject([
      { status: "fail", figure: "0%" },
    ]);
    expect(coverageGates(summary("Unknown"), { lines: 0 })[0].status).toBe(
      "pass",
    );
  });

  it("a minimum of 0 is configured, so it blocks instead of the advisory warning", () => {
    expect(coverageMinimumGates(summary(0), { branches: 0 })).toMatchObject([
      { name: "coverage: branches", status: "pass" },
    ]);
  });
});

describe("ESLint warning budget", () => {
  // ESLint's --format json shape: one entry per file, with its messages and counts.
  const report = (warnings: number) =>
    JSON.stringify([
      {
        filePath: "/src/src/app.ts",
        messages: Array.from({ length: warnings }, (_, index) => ({
          ruleId: "no-console",
          severity: 1,
          message: "Unexpected console statement.",
          line: index + 1,
          column: 3,
        })),
        errorCount: 0,
        warningCount: warnings,
      },
    ]);

  it("passes at the budget and fails one warning over it, listing the warnings then", () => {
    expect(eslintGate(report(2), "/src", 2)).toEqual({
      name: "lint: eslint",
      status: "pass",
      figure: "0 errors, 2 warnings",
      threshold: "0 errors, <= 2 warnings",
      details: [],
    });
    expect(eslintGate(report(3), "/src", 2)).toMatchObject({
      status: "fail",
      figure: "0 errors, 3 warnings",
      details: [
        "src/app.ts:1:3 warning Unexpected console statement. (no-console)",
        "src/app.ts:2:3 warning Unexpected console statement. (no-console)",
        "src/app.ts:3:3 warning Unexpected console statement. (no-console)",
      ],
    });
  });

  it("a budget of 0 fails on the first warning; no budget never fails on warnings", () => {
    expect(eslintGate(report(0), "/src", 0).status).toBe("pass");
    expect(eslintGate(report(1), "/src", 0).status).toBe("fail");
    expect(eslintGate(report(50), "/src", null)).toMatchObject({
      status: "pass",
      threshold: "0 errors",
      details: [],
    });
  });

  it("an error without a rule or position (a parse error) still fails and is located at the file", () => {
    const json = JSON.stringify([
      {
        filePath: "/src/src/broken.ts",
        messages: [
          {
            ruleId: null,
            severity: 2,
            message: "Parsing error: ';' expected.",
          },
        ],
        errorCount: 1,
        warningCount: 0,
      },
    ]);
    expect(eslintGate(json, "/src/", null)).toMatchObject({
      status: "fail",
      details: ["src/broken.ts:0:0 error Parsing error: ';' expected."],
    });
  });
});

describe("tests gate", () => {
  const counts = (passed: number, failed = 0) => ({
    passed,
    failed,
    skipped: 0,
    failures: [],
  });

  it("one passing test passes; a run that collected none fails", () => {
    expect(testsGate(counts(1), 0, "").status).toBe("pass");
    expect(testsGate(counts(0), 0, "")).toMatchObject({
      status: "fail",
      figure: "0 passed, 0 failed, 0 skipped",
      details: ["no test ran"],
    });
  });

  it("one failed test fails even with passing ones, showing the output when the runner listed no failure", () => {
    expect(
      testsGate(counts(10, 1), 1, "\u001b[31m1 failing\u001b[39m\n"),
    ).toEqual({
      name: "tests",
      threshold: "0 failed",
      status: "fail",
      figure: "10 passed, 1 failed, 0 skipped",
      details: ["1 failing"],
    });
  });

  it("a non-zero exit with nothing failed fails; exit 0 passes", () => {
    expect(
      testsGate(
        counts(3),
        1,
        "ERROR: Coverage for lines (50%) does not meet threshold",
      ),
    ).toMatchObject({
      status: "fail",
      details: [
        "the runner exited 1 without reporting a failed test",
        "ERROR: Coverage for lines (50%) does not meet threshold",
      ],
    });
  });

  it("no report at all fails with the output's tail", () => {
    expect(testsGate(undefined, 0, "")).toMatchObject({
      status: "fail",
      figure: "did not run",
      details: [],
    });
  });
});

describe("watch window", () => {
  const limits = { maxErrorRate: 0.01, p95Ms: 500, maxHealthFailures: 3 };
  const window = {
    requests: 100,
    errors: 1,
    errorRate: 0.01,
    p95Ms: 500,
    healthFailures: 2,
  };

  it("holds with every figure at its limit and one request answered", () => {
    expect(watchBreaches(window, limits)).toEqual([]);
    expect(
      watchBreaches(
        { ...window, requests: 1, errors: 0, errorRate: 0 },
        limits,
      ),
    ).toEqual([]);
  });

  it("breaches one step past each limit; maxHealthFailures is the count that triggers the rollback", () => {
    expect(
      watchBreaches({ ...window, errors: 2, errorRate: 0.0101 }, limits),
    ).toEqual(["error rate 1.0% (2/100) above 1.0%"]);
    expect(watchBreaches({ ...window, p95Ms: 501 }, limits)).toEqual([
      "p95 latency 501 ms above 500 ms",
    ]);
    expect(watchBreaches({ ...window, healthFailures: 3 }, limits)).toEqual([
      "3 failed health checks (limit 3)",
    ]);
  });
});

describe("probe answers", () => {
  const sample = (status: number, path = "/healthz") => ({
    path,
    status,
    ms: 3,
  });

  it("2xx and 3xx succeed; 199, 400 and no answer fail", () => {
    expect(
      [199, 200, 399, 400, 0].map((status) => isSuccess(sample(status))),
    ).toEqual([false, true, true, false, false]);
    expect(
      countHealthFailures(
        [sample(399), sample(400), sample(500, "/version")],
        "/healthz",
      ),
    ).toBe(1);
  });

  it("describes the first failures only, with the error of a request that got no answer", () => {
    const samples = [
      sample(200),
      { ...sample(0), error: "ECONNREFUSED" },
      sample(0),
      sample(503, "/version"),
      sample(404),
    ];
    expect(describeFailures(samples)).toBe(
      "/healthz → ECONNREFUSED; /healthz → no response; /version → 503; /healthz → 404",
    );
    expect(describeFailures(samples, 2)).toBe(
      "/healthz → ECONNREFUSED; /healthz → no response",
    );
    expect(describeFailures([sample(204)])).toBe("");
  });
});

describe("p95 of the proxied traffic", () => {
  const answered = (latencies: number[]) =>
    latencies.map((ms) => ({ status: 200, answeredBy: "new:3000", ms }));
  const range = (count: number) =>
    Array.from({ length: count }, (_, index) => index + 1);

  it("is the value 95 % of the requests are at or below (nearest rank)", () => {
    // 20 requests: rank ceil(19) = 19; 21 requests: rank ceil(19.95) = 20.
    expect(
      summarizeTraffic(answered(range(20).reverse()), "new:3000").p95Ms,
    ).toBe(19);
    expect(summarizeTraffic(answered(range(21)), "new:3000").p95Ms).toBe(20);
    expect(summarizeTraffic(answered([7]), "new:3000").p95Ms).toBe(7);
  });

  it("counts a 5xx as an error and a 499 as none, and an unmeasured latency as 0", () => {
    const requests = [
      { status: 500, answeredBy: "new:3000", ms: null },
      { status: 499, answeredBy: "new:3000", ms: 4 },
      { status: 503, answeredBy: "old:3000", ms: 9 },
    ];
    expect(summarizeTraffic(requests, "new:3000")).toEqual({
      requests: 2,
      errors: 1,
      errorRate: 0.5,
      p95Ms: 4,
    });
  });
});
