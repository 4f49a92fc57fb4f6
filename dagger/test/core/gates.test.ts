import { describe, expect, it } from "vitest";
import {
  allPassed,
  failureMessage,
  maximumGate,
  minimumGate,
  severityGate,
  timeStage,
  type Finding,
} from "../../src/core/gates.js";

const findings: Finding[] = [
  {
    tool: "trivy",
    id: "CVE-2026-0001",
    severity: "critical",
    message: "openssl 3.0.1",
  },
  { tool: "trivy", id: "CVE-2026-0002", severity: "medium", message: "zlib" },
];

describe("severityGate", () => {
  it("fails on a finding at or above the threshold", () => {
    const gate = severityGate("scan: image", findings, {
      failOn: "high",
      ignore: [],
    });
    expect(gate.status).toBe("fail");
    expect(gate.figure).toBe("1 critical, 1 medium");
    expect(gate.details).toEqual([
      "[critical] trivy CVE-2026-0001: openssl 3.0.1",
      'a finding that is accepted goes in gantry.config.json: "scan": { "ignore": [{ "id": "CVE-2026-0001", "reason": "why it is safe" }] }',
    ]);
  });

  it("passes when the blocking finding is ignored with a reason", () => {
    const gate = severityGate("scan: image", findings, {
      failOn: "high",
      ignore: [{ id: "CVE-2026-0001", reason: "not reachable" }],
    });
    expect(gate.status).toBe("pass");
    expect(gate.figure).toBe("1 medium (1 ignored)");
  });

  it("honours a lower threshold", () => {
    expect(
      severityGate("s", findings.slice(1), { failOn: "medium", ignore: [] })
        .status,
    ).toBe("fail");
    expect(
      severityGate("s", findings.slice(1), { failOn: "high", ignore: [] })
        .status,
    ).toBe("pass");
  });
});

describe("numeric gates", () => {
  it("compare against minimums and maximums inclusively", () => {
    expect(minimumGate("coverage: lines", 80, 80).status).toBe("pass");
    expect(minimumGate("coverage: lines", 79.99, 80).details).toEqual([
      "coverage: lines is 79.99%, below the required 80%",
    ]);
    expect(maximumGate("p95", 500, 500, " ms").status).toBe("pass");
    expect(maximumGate("p95", 501, 500, " ms").status).toBe("fail");
  });
});

describe("timeStage", () => {
  it("turns a crashing stage into a failed gate with its message", async () => {
    const gates = await timeStage("scan", async () => {
      throw new Error("engine lost");
    });
    expect(gates).toHaveLength(1);
    expect(gates[0]).toMatchObject({
      name: "scan",
      status: "fail",
      details: ["engine lost"],
    });
    expect(allPassed(gates)).toBe(false);
  });

  it("stamps each gate with the stage's duration", async () => {
    const gates = await timeStage("lint", async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [minimumGate("a", 1, 0), minimumGate("b", 1, 0)];
    });
    expect(gates.map((gate) => gate.durationMs >= 15)).toEqual([true, true]);
    expect(allPassed(gates)).toBe(true);
  });
});

describe("failureMessage", () => {
  it("shows the failed command and the end of its stderr", () => {
    const execError = Object.assign(
      new Error("exit code: 1 [traceparent:abc-def]"),
      {
        cmd: ["npm", "ci"],
        stderr:
          "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope",
      },
    );
    expect(failureMessage(execError)).toBe(
      "npm ci failed (exit code: 1):\nnpm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope",
    );
    expect(failureMessage(new Error("plain"))).toBe("plain");
  });

  it("keeps the error lines a long stderr buried, drops engine IDs, and hints at known causes", () => {
    const engineId = "Q29udGFpbmVyQGFiY2RlZj".repeat(10);
    const stderr = [
      "Internal Error: Error when performing the request to https://registry.npmjs.org/pnpm/-/pnpm-10.34.9.tgz",
      "Error: No compatible signature found in package metadata",
      ...Array.from(
        { length: 12 },
        (_, index) => `    at frame${index} (corepack.cjs:${index})`,
      ),
    ].join("\n");
    const message = failureMessage(
      Object.assign(new Error(`resolve Container@${engineId}: exit code: 1`), {
        cmd: ["pnpm", "install"],
        stderr,
      }),
    );
    const lines = message.split("\n");
    expect(lines[0]).toBe(
      "pnpm install failed (resolve Container@…: exit code: 1):",
    );
    expect(lines[1]).toBe(
      "Internal Error: Error when performing the request to https://registry.npmjs.org/pnpm/-/pnpm-10.34.9.tgz",
    );
    expect(lines[2]).toBe(
      "Error: No compatible signature found in package metadata",
    );
    expect(lines[3]).toBe("…");
    expect(lines.slice(4, 12)).toEqual(
      Array.from(
        { length: 8 },
        (_, index) => `    at frame${index + 4} (corepack.cjs:${index + 4})`,
      ),
    );
    expect(lines[12]).toMatch(
      /^hint: .*packageManager\.verifySignatures: false/,
    );
    expect(message).not.toContain(engineId);
  });
});
