import { describe, expect, it } from "vitest";
import { severityGate } from "../../../src/core/gates.js";
import { gitleaksFindings } from "../../../src/core/parse/gitleaks.js";
import { toolOutput } from "../fixtures.js";

// Real reports of gitleaks 8.30.1 run with --redact over a scratch folder (see tool-output/README.md, "gitleaks").
const ROOT = "/tmp/gantry-scratch/gitleaks";

describe("gitleaksFindings on gitleaks 8.30.1's JSON", () => {
  it("reports a leak as critical, at its file and line relative to the scanned root, its fingerprint as the id", () => {
    const findings = gitleaksFindings(toolOutput("gitleaks/leak.json"), ROOT);
    expect(findings).toEqual([
      {
        tool: "gitleaks",
        id: "src/payments.ts:stripe-access-token:1",
        severity: "critical",
        message:
          "Found a Stripe Access Token, posing a risk to payment processing services and sensitive financial data. (stripe-access-token)",
        location: "src/payments.ts:1",
      },
    ]);
    expect(
      severityGate("scan: secrets", findings, {
        failOn: "critical",
        ignore: [],
      }).status,
    ).toBe("fail");
    // The id is what .gitleaksignore and scan.ignore take, so ignoring it passes the gate.
    expect(
      severityGate("scan: secrets", findings, {
        failOn: "low",
        ignore: [
          { id: "src/payments.ts:stripe-access-token:1", reason: "test key" },
        ],
      }),
    ).toMatchObject({ status: "pass", figure: "0 findings (1 ignored)" });
  });

  it("accepts the root with or without a trailing slash", () => {
    const [finding] = gitleaksFindings(
      toolOutput("gitleaks/leak.json"),
      `${ROOT}/`,
    );
    expect(finding.location).toBe("src/payments.ts:1");
  });

  it("finds nothing in a clean run's report, or in an empty one", () => {
    expect(gitleaksFindings(toolOutput("gitleaks/clean.json"), ROOT)).toEqual(
      [],
    );
    expect(gitleaksFindings("", ROOT)).toEqual([]);
  });
});
