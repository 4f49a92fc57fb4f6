import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { severityGate } from "../../../src/core/gates.js";
import {
  trivyDatabaseUnavailable,
  trivyFindings,
} from "../../../src/core/parse/trivy.js";
import { toolOutput } from "../fixtures.js";

// Real output of trivy 0.74.0 (see tool-output/README.md, "trivy"), with the test mirror's vulnerability database:
// lodash 4.17.20 has CVE-2021-23337 (high) and CVE-2020-28500 (medium), both fixed in 4.17.21.
const LODASH = [
  {
    tool: "trivy",
    id: "CVE-2021-23337",
    severity: "high",
    message: "lodash 4.17.20 (fixed in 4.17.21): Command Injection in lodash",
  },
  {
    tool: "trivy",
    id: "CVE-2020-28500",
    severity: "medium",
    message:
      "lodash 4.17.20 (fixed in 4.17.21): Regular Expression Denial of Service (ReDoS) in lodash",
  },
];
const NO_IGNORES = { ignore: [] };

describe("trivyFindings on trivy 0.74.0's JSON", () => {
  it("reads the vulnerabilities of a filesystem scan, located at the lockfile", () => {
    const findings = trivyFindings(toolOutput("trivy/fs-vulnerable.json"));
    expect(findings).toEqual(
      LODASH.map((finding) => ({ ...finding, location: "package-lock.json" })),
    );
    expect(
      severityGate("scan: filesystem", findings, {
        failOn: "high",
        ...NO_IGNORES,
      }),
    ).toMatchObject({
      status: "fail",
      figure: "1 high, 1 medium",
    });
    expect(
      severityGate("scan: filesystem", findings, {
        failOn: "critical",
        ...NO_IGNORES,
      }).status,
    ).toBe("pass");
  });

  it("reads an image scan: the Node.js packages' vulnerabilities, none from the Debian packages", () => {
    const report = gunzipSync(
      readFileSync(
        new URL(
          "../../fixtures/tool-output/trivy/image-vulnerable.json.gz",
          import.meta.url,
        ),
      ),
    ).toString("utf8");
    expect(trivyFindings(report)).toEqual(
      LODASH.map((finding) => ({ ...finding, location: "Node.js" })),
    );
  });

  it("reads failed Dockerfile checks by their ID and secrets at their line, with trivy's severities", () => {
    const findings = trivyFindings(
      toolOutput("trivy/fs-misconfig-secret.json"),
    );
    expect(findings).toEqual([
      {
        tool: "trivy",
        id: "DS-0002",
        severity: "high",
        message:
          "Specify at least 1 USER command in Dockerfile with non-root user as argument",
        location: "Dockerfile",
      },
      {
        tool: "trivy",
        id: "DS-0005",
        severity: "low",
        message: "Consider using 'COPY . .' command instead of 'ADD . .'",
        location: "Dockerfile",
      },
      {
        tool: "trivy",
        id: "DS-0026",
        severity: "low",
        message: "Add HEALTHCHECK instruction in your Dockerfile",
        location: "Dockerfile",
      },
      {
        tool: "trivy",
        id: "github-pat",
        severity: "critical",
        message: "GitHub Personal Access Token",
        location: "config.js:1",
      },
    ]);
  });

  it("writes neither fix nor title when trivy has none, and skips passed checks (hand-written report)", () => {
    const report = {
      Results: [
        {
          Target: "package-lock.json",
          Vulnerabilities: [
            {
              VulnerabilityID: "CVE-1",
              PkgName: "pkg",
              InstalledVersion: "1.0.0",
              Severity: "LOW",
            },
          ],
          Misconfigurations: [
            { ID: "DS001", Title: "passed", Severity: "HIGH", Status: "PASS" },
          ],
        },
      ],
    };
    expect(trivyFindings(JSON.stringify(report))).toEqual([
      {
        tool: "trivy",
        id: "CVE-1",
        severity: "low",
        message: "pkg 1.0.0",
        location: "package-lock.json",
      },
    ]);
  });

  it("finds nothing in a report without results", () => {
    expect(trivyFindings('{"SchemaVersion": 2, "ArtifactName": "."}')).toEqual(
      [],
    );
  });
});

describe("trivyDatabaseUnavailable", () => {
  it("names the download failure trivy 0.74.0 printed without network", () => {
    const reason = trivyDatabaseUnavailable(
      toolOutput("trivy/fs-no-database.stderr.txt"),
    );
    expect(reason).toContain("failed to download vulnerability DB");
    expect(reason).toContain("mirror.gcr.io");
  });

  it("joins the last two lines, after trivy's log lines (hand-written stderr)", () => {
    const stderr = [
      "2026-11-30T19:53:50Z\tINFO\t[vuln] Vulnerability scanning is enabled",
      "2026-11-30T19:53:51Z\tFATAL\tFatal error\tfailed to download vulnerability DB",
      '\t* Get "https://mirror.gcr.io/v2/": no such host',
      "",
    ].join("\n");
    expect(trivyDatabaseUnavailable(stderr)).toBe(
      '2026-11-30T19:53:51Z\tFATAL\tFatal error\tfailed to download vulnerability DB \t* Get "https://mirror.gcr.io/v2/": no such host',
    );
  });

  it("is undefined for a failure that has nothing to do with the database", () => {
    expect(
      trivyDatabaseUnavailable(
        "FATAL Fatal error: stat /src/missing: no such file or directory",
      ),
    ).toBeUndefined();
  });
});
