import { describe, expect, it } from "vitest";
import {
  auditOutcome,
  type AuditPackageManager,
} from "../../../src/core/parse/audit.js";
import { toolOutput } from "../fixtures.js";

// Real output of npm 11.19.1, pnpm 10.34.9, yarn 1.22.22 and yarn 4.18.1 (see tool-output/README.md, "audit"):
// "unreachable" against the real registries (which refuse the audit POST with 405), "stub-*" against a local
// stub endpoint answering with audit/stub/advisories.json (lodash 4.17.20: GHSA-35jh-r3h4-6jhm high and
// GHSA-29mw-wpgm-hmr9 moderate; minimist 1.2.5: GHSA-xvch-5gv4-984h critical) or with no advisories.
const audit = (name: string) => toolOutput(`audit/${name}`);

const LODASH_AND_MINIMIST = [
  {
    tool: "audit",
    id: "GHSA-35jh-r3h4-6jhm",
    severity: "high",
    message: "lodash <4.17.21: Command Injection in lodash",
  },
  {
    tool: "audit",
    id: "GHSA-29mw-wpgm-hmr9",
    severity: "medium",
    message:
      "lodash <4.17.21: Regular Expression Denial of Service (ReDoS) in lodash",
  },
  {
    tool: "audit",
    id: "GHSA-xvch-5gv4-984h",
    severity: "critical",
    message: "minimist >=1.0.0 <1.2.6: Prototype Pollution in minimist",
  },
];

const byId = <T extends { id: string }>(findings: T[]) =>
  [...findings].sort((a, b) => a.id.localeCompare(b.id));

function findingsOf(outcome: ReturnType<typeof auditOutcome>) {
  if (outcome.kind !== "report") {
    throw new Error(`expected a report, got: ${outcome.reason}`);
  }
  return outcome.findings;
}

describe("npm audit --json", () => {
  it("maps report v2 to one finding per package and advisory", () => {
    const stdout = audit("npm/stub-vulnerable.stdout.txt");
    expect(byId(findingsOf(auditOutcome(stdout)))).toEqual(
      byId(LODASH_AND_MINIMIST),
    );
    expect(auditOutcome(stdout, "npm")).toEqual(auditOutcome(stdout));
  });

  it("reads a clean report as 0 findings", () => {
    expect(auditOutcome(audit("npm/stub-clean.stdout.txt"), "npm")).toEqual({
      kind: "report",
      findings: [],
    });
  });

  it("degrades with the reason when the advisory endpoint refuses the request", () => {
    const expected = {
      kind: "unavailable",
      reason:
        "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    };
    expect(auditOutcome(audit("npm/unreachable.stdout.txt"), "npm")).toEqual(
      expected,
    );
    expect(auditOutcome(toolOutput("npm-audit-unreachable.json"))).toEqual(
      expected,
    );
  });

  it("keeps a package vulnerable only through another one as one finding", () => {
    // Hand-written report v2 (tool-output/npm-audit-v2.json).
    expect(auditOutcome(toolOutput("npm-audit-v2.json"))).toEqual({
      kind: "report",
      findings: [
        {
          tool: "audit",
          id: "GHSA-aaaa-bbbb-cccc",
          severity: "critical",
          message: "vitest <4.1.13: Remote code execution in the dev server",
        },
        {
          tool: "audit",
          id: "vite-node",
          severity: "medium",
          message: "vite-node *: via vitest",
        },
      ],
    });
  });

  it("reads npm's error document with a code", () => {
    const json = JSON.stringify({
      error: {
        code: "ENOLOCK",
        summary: "This command requires an existing lockfile.",
        detail: "Try creating one first with: npm i --package-lock-only",
      },
    });
    expect(auditOutcome(json, "npm")).toEqual({
      kind: "unavailable",
      reason:
        "ENOLOCK: This command requires an existing lockfile.: Try creating one first with: npm i --package-lock-only",
    });
  });
});

describe("pnpm audit --json", () => {
  it("maps the advisories to findings", () => {
    const stdout = audit("pnpm/stub-vulnerable.stdout.txt");
    expect(byId(findingsOf(auditOutcome(stdout, "pnpm")))).toEqual(
      byId(LODASH_AND_MINIMIST),
    );
    expect(auditOutcome(stdout)).toEqual(auditOutcome(stdout, "pnpm"));
  });

  it("reads a clean report as 0 findings", () => {
    expect(auditOutcome(audit("pnpm/stub-clean.stdout.txt"), "pnpm")).toEqual({
      kind: "report",
      findings: [],
    });
  });

  it("degrades with pnpm's error code and message", () => {
    expect(auditOutcome(audit("pnpm/unreachable.stdout.txt"), "pnpm")).toEqual({
      kind: "unavailable",
      reason:
        "ERR_PNPM_AUDIT_BAD_RESPONSE: The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits/quick) responded with 405: . Fallback endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits) responded with 405: ",
    });
  });

  it("takes github_advisory_id when the URL has no GHSA id, else the advisory number", () => {
    const advisory = {
      id: 535,
      module_name: "mime",
      severity: "moderate",
      title: "Regular Expression Denial of Service",
      vulnerable_versions: "< 1.4.1 || > 2.0.0 < 2.0.3",
      url: "https://npmjs.com/advisories/535",
    };
    const json = (extra: object) =>
      JSON.stringify({
        advisories: { 535: { ...advisory, ...extra } },
        metadata: {},
      });
    expect(findingsOf(auditOutcome(json({}), "pnpm"))).toEqual([
      {
        tool: "audit",
        id: "535",
        severity: "medium",
        message:
          "mime < 1.4.1 || > 2.0.0 < 2.0.3: Regular Expression Denial of Service",
      },
    ]);
    expect(
      findingsOf(
        auditOutcome(
          json({ github_advisory_id: "GHSA-wrvr-8mpx-r7pp" }),
          "pnpm",
        ),
      )[0]?.id,
    ).toBe("GHSA-wrvr-8mpx-r7pp");
  });
});

describe("yarn audit --json (classic)", () => {
  it("lists each package and advisory once although yarn prints one per dependency path", () => {
    const stdout = audit("yarn-classic/stub-vulnerable.stdout.txt");
    const minimistLines = stdout
      .split("\n")
      .filter((line) => line.includes('"id":1097678,"path"'));
    expect(minimistLines).toHaveLength(2); // mkdirp>minimist and rc>minimist
    expect(byId(findingsOf(auditOutcome(stdout, "yarn-classic")))).toEqual(
      byId(LODASH_AND_MINIMIST),
    );
    expect(auditOutcome(stdout)).toEqual(auditOutcome(stdout, "yarn-classic"));
  });

  it("reads a clean report (only the auditSummary line) as 0 findings", () => {
    expect(
      auditOutcome(audit("yarn-classic/stub-clean.stdout.txt"), "yarn-classic"),
    ).toEqual({ kind: "report", findings: [] });
  });

  it("treats a report cut short before its auditSummary as unavailable", () => {
    const lines = audit("yarn-classic/stub-vulnerable.stdout.txt")
      .trim()
      .split("\n");
    const outcome = auditOutcome(lines.slice(0, -1).join("\n"), "yarn-classic");
    expect(outcome.kind).toBe("unavailable");
  });

  it("does not read a summary that counts vulnerabilities it does not list as 0 findings", () => {
    // `yarn audit --json --summary`
    const outcome = auditOutcome(
      audit("yarn-classic/stub-summary.stdout.txt"),
      "yarn-classic",
    );
    expect(outcome).toMatchObject({ kind: "unavailable" });
    expect(outcome.kind === "unavailable" && outcome.reason).toMatch(
      /^yarn audit counted 4 vulnerabilities but listed no advisory/,
    );
  });

  it("degrades with the error yarn printed on stderr when the endpoint refuses the request", () => {
    const stdout = audit("yarn-classic/unreachable.stdout.txt");
    const stderr = audit("yarn-classic/unreachable.stderr.txt");
    expect(
      auditOutcome(stdout, "yarn-classic", { exitCode: 1, stderr }),
    ).toEqual({
      kind: "unavailable",
      reason: `Error: https://registry.yarnpkg.com/-/npm/v1/security/audits: Request "https://registry.yarnpkg.com/-/npm/v1/security/audits" returned a 405 (the audit printed no report Gantry recognises: ${stdout.trim()})`,
    });
    // Without stderr, the start of stdout (its "Visit …" info line) is the reason: never 0 findings.
    expect(auditOutcome(stdout)).toEqual({
      kind: "unavailable",
      reason: `the audit printed no report Gantry recognises: ${stdout.trim()}`,
    });
  });
});

describe("yarn npm audit --json --recursive (berry)", () => {
  it("maps each package and advisory line to a finding", () => {
    const stdout = audit("yarn-berry/stub-vulnerable.stdout.txt");
    expect(
      byId(findingsOf(auditOutcome(stdout, "yarn-berry", { exitCode: 1 }))),
    ).toEqual(byId(LODASH_AND_MINIMIST));
    expect(auditOutcome(stdout)).toEqual(auditOutcome(stdout, "yarn-berry"));
  });

  it("reads a single advisory line, which is also one JSON document", () => {
    const line = audit("yarn-berry/stub-vulnerable.stdout.txt").split("\n")[0];
    expect(findingsOf(auditOutcome(line ?? ""))).toEqual([
      LODASH_AND_MINIMIST[0],
    ]);
  });

  it("reads a clean audit, which prints nothing and exits 0, as 0 findings only for yarn berry", () => {
    expect(auditOutcome("", "yarn-berry", { exitCode: 0 })).toEqual({
      kind: "report",
      findings: [],
    });
    expect(auditOutcome("", "yarn-berry").kind).toBe("unavailable");
    expect(auditOutcome("", undefined, { exitCode: 0 }).kind).toBe(
      "unavailable",
    );
    expect(auditOutcome("", "npm", { exitCode: 0 }).kind).toBe("unavailable");
  });

  it("degrades with the uncaught error yarn printed on stderr when the endpoint refuses the request", () => {
    // stdout was empty and yarn exited 1: the bulk request failed while the deprecation lookups ran.
    const stderr = audit("yarn-berry/unreachable.stderr.txt");
    expect(auditOutcome("", "yarn-berry", { exitCode: 1, stderr })).toEqual({
      kind: "unavailable",
      reason:
        "Zt [Error]: The remote server failed to provide the requested resource / originalError: cN [HTTPError]: Response code 405 (Method Not Allowed) (the audit printed nothing on stdout)",
    });
  });

  it("degrades with the start of the output when yarn printed its error report on stdout", () => {
    // `--no-deprecations`: the failed request is reported as "➤ YN0035: …" lines on stdout, even with --json.
    const stdout = audit("yarn-berry/unreachable-no-deprecations.stdout.txt");
    const outcome = auditOutcome(stdout, "yarn-berry", { exitCode: 1 });
    expect(outcome).toMatchObject({ kind: "unavailable" });
    expect(outcome.kind === "unavailable" && outcome.reason).toBe(
      `the audit printed no report Gantry recognises: ${stdout.trim().slice(0, 300)}…`,
    );
  });

  // Hand-written from yarnpkg/berry@4.18.1 (packages/plugin-npm-cli/sources/commands/npm/audit.ts, as bundled in
  // @yarnpkg/cli-dist@4.18.1): a deprecated package is reported with id "<name> (deprecation)" and no URL, and
  // errors of a --json StreamReport are {"type":"error",…} lines.
  it("keeps berry's deprecation entries, identified by their ID", () => {
    const line = JSON.stringify({
      value: "request",
      children: {
        ID: "request (deprecation)",
        Issue:
          "request has been deprecated, see https://github.com/request/request/issues/3142",
        Severity: "moderate",
        "Vulnerable Versions": "2.88.2",
        "Tree Versions": ["2.88.2"],
        Dependents: ["app@workspace:."],
      },
    });
    expect(findingsOf(auditOutcome(line, "yarn-berry"))).toEqual([
      {
        tool: "audit",
        id: "request (deprecation)",
        severity: "medium",
        message:
          "request 2.88.2: request has been deprecated, see https://github.com/request/request/issues/3142",
      },
    ]);
  });

  it("degrades with the data of an error line", () => {
    const stdout = [
      JSON.stringify({
        type: "error",
        name: 35,
        displayName: "YN0035",
        indent: "",
        data: "The remote server failed to provide the requested resource",
      }),
    ].join("\n");
    expect(auditOutcome(stdout, "yarn-berry", { exitCode: 1 })).toEqual({
      kind: "unavailable",
      reason: "The remote server failed to provide the requested resource",
    });
  });
});

describe("severity mapping", () => {
  // One advisory of the given npm severity, in each package manager's format.
  const reports: Record<AuditPackageManager, (severity: string) => string> = {
    npm: (severity) =>
      JSON.stringify({
        auditReportVersion: 2,
        vulnerabilities: {
          pkg: {
            name: "pkg",
            severity,
            range: "<2.0.0",
            via: [
              {
                source: 1,
                name: "pkg",
                title: "t",
                url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
                severity,
                range: "<2.0.0",
              },
            ],
          },
        },
        metadata: {},
      }),
    pnpm: (severity) =>
      JSON.stringify({
        advisories: {
          1: {
            id: 1,
            module_name: "pkg",
            severity,
            title: "t",
            url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
            vulnerable_versions: "<2.0.0",
          },
        },
        metadata: {},
      }),
    "yarn-classic": (severity) =>
      [
        JSON.stringify({
          type: "auditAdvisory",
          data: {
            resolution: { id: 1, path: "pkg" },
            advisory: {
              id: 1,
              module_name: "pkg",
              severity,
              title: "t",
              url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
              vulnerable_versions: "<2.0.0",
            },
          },
        }),
        JSON.stringify({
          type: "auditSummary",
          data: { vulnerabilities: { [severity]: 1 } },
        }),
      ].join("\n"),
    "yarn-berry": (severity) =>
      JSON.stringify({
        value: "pkg",
        children: {
          ID: 1,
          Issue: "t",
          URL: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
          Severity: severity,
          "Vulnerable Versions": "<2.0.0",
        },
      }),
  };
  // "medium" (Gantry's own name; no audit format prints it) and "" are hand-written.
  const levels = [
    ["critical", "critical"],
    ["high", "high"],
    ["moderate", "medium"],
    ["medium", "medium"],
    ["low", "low"],
    ["info", "low"],
    ["", "low"],
  ] as const;

  for (const [packageManager, reportOf] of Object.entries(reports)) {
    it.each(levels)(`${packageManager}: %s is %s`, (severity, expected) => {
      expect(
        findingsOf(
          auditOutcome(
            reportOf(severity),
            packageManager as AuditPackageManager,
          ),
        ),
      ).toEqual([
        {
          tool: "audit",
          id: "GHSA-aaaa-bbbb-cccc",
          severity: expected,
          message: "pkg <2.0.0: t",
        },
      ]);
    });
  }
});

describe("unrecognised output", () => {
  it.each([
    ["text", "npm ERR! network"],
    ["an unknown JSON document", '{"ok":true}'],
    ["advisories without metadata", '{"advisories":{}}'],
    ["vulnerabilities without auditReportVersion", '{"vulnerabilities":{}}'],
    ["yarn info lines only", '{"type":"info","data":"Visit the docs"}'],
    ["a JSON array", "[]"],
  ])("is unavailable, never 0 findings: %s", (_, output) => {
    expect(auditOutcome(output)).toEqual({
      kind: "unavailable",
      reason: `the audit printed no report Gantry recognises: ${output}`,
    });
  });

  it("is unavailable when empty", () => {
    expect(auditOutcome("  \n")).toEqual({
      kind: "unavailable",
      reason: "the audit printed nothing on stdout",
    });
  });

  it("quotes only the start of a long output", () => {
    const output = `Corepack is about to download ${"x".repeat(1000)}`;
    const outcome = auditOutcome(output);
    expect(outcome).toEqual({
      kind: "unavailable",
      reason: `the audit printed no report Gantry recognises: ${output.slice(0, 300)}…`,
    });
  });

  it.each([
    ["npm", "yarn-berry/stub-vulnerable.stdout.txt"],
    ["pnpm", "npm/stub-clean.stdout.txt"],
    ["yarn-classic", "pnpm/stub-clean.stdout.txt"],
    ["yarn-berry", "yarn-classic/stub-clean.stdout.txt"],
  ] as const)(
    "does not accept another package manager's report for %s",
    (packageManager, fixture) => {
      expect(auditOutcome(audit(fixture), packageManager).kind).toBe(
        "unavailable",
      );
    },
  );
});

// Hand-written documents and lines in the formats above (not captured from a package manager): the fields and error
// shapes the fixtures do not exercise.
describe("audit edges (hand-written)", () => {
  const npmReport = (vulnerabilities: Record<string, unknown>) =>
    JSON.stringify({ auditReportVersion: 2, vulnerabilities });
  const berryLine = (value: string, children: Record<string, unknown>) =>
    JSON.stringify({ value, children });

  it("names the packages a transitive vulnerability comes through, and none when npm lists none", () => {
    const outcome = auditOutcome(
      npmReport({
        express: {
          name: "express",
          severity: "high",
          range: "<4.20.0",
          via: ["body-parser", "send"],
        },
        odd: { name: "odd", severity: "moderate", range: "*" },
      }),
      "npm",
    );
    expect(findingsOf(outcome)).toEqual([
      {
        tool: "audit",
        id: "express",
        severity: "high",
        message: "express <4.20.0: via body-parser, send",
      },
      { tool: "audit", id: "odd", severity: "medium", message: "odd *: via " },
    ]);
  });

  it("identifies an advisory without a GHSA URL by its source number, else by the package", () => {
    const outcome = auditOutcome(
      npmReport({
        a: {
          name: "a",
          severity: "low",
          range: "<1",
          via: [{ source: 1096, title: "t1", severity: "low", range: "<1" }],
        },
        b: {
          name: "b",
          severity: "low",
          range: "<2",
          via: [{ title: "t2", severity: "low", range: "<2" }],
        },
      }),
      "npm",
    );
    expect(findingsOf(outcome).map((finding) => finding.id)).toEqual([
      "1096",
      "b",
    ]);
  });

  it("reads an error given as a string, and an error without any detail", () => {
    expect(auditOutcome('{"error":"ENOAUDIT"}', "npm")).toEqual({
      kind: "unavailable",
      reason: "ENOAUDIT",
    });
    expect(auditOutcome('{"error":{}}', "pnpm")).toEqual({
      kind: "unavailable",
      reason: "the audit endpoint returned an error without details",
    });
  });

  it("reads indented berry lines; without URL or ID the package is the id; the first of a duplicate wins", () => {
    const output = [
      `  ${berryLine("left-pad", { Issue: "first", Severity: "high", "Vulnerable Versions": "<2" })}`,
      berryLine("left-pad", {
        Issue: "second",
        Severity: "low",
        "Vulnerable Versions": "<2",
      }),
    ].join("\n");
    expect(findingsOf(auditOutcome(output, "yarn-berry"))).toEqual([
      {
        tool: "audit",
        id: "left-pad",
        severity: "high",
        message: "left-pad <2: first",
      },
    ]);
  });

  it("refuses a stream that mixes yarn classic and berry lines, and a berry-like line without children", () => {
    const mixed = [
      '{"type":"auditSummary","data":{"vulnerabilities":{}}}',
      berryLine("left-pad", { ID: 1 }),
    ].join("\n");
    expect(auditOutcome(mixed).kind).toBe("unavailable");
    expect(auditOutcome('{"value":"left-pad"}').kind).toBe("unavailable");
    expect(auditOutcome('{"children":{}}').kind).toBe("unavailable");
  });

  it("quotes an output of exactly 300 characters whole", () => {
    const output = "y".repeat(300);
    expect(auditOutcome(output)).toEqual({
      kind: "unavailable",
      reason: `the audit printed no report Gantry recognises: ${output}`,
    });
  });

  it("takes error lines of stderr up to 300 characters, never stack frames", () => {
    const long = `error ${"z".repeat(294)}`;
    expect(auditOutcome("", "npm", { stderr: `${long}\nmore` })).toEqual({
      kind: "unavailable",
      reason: `${long} (the audit printed nothing on stdout)`,
    });
    const stack = "Zt [Error]: boom\n    at Error.x (file.js:1:2)\n";
    expect(auditOutcome("", "npm", { stderr: stack })).toEqual({
      kind: "unavailable",
      reason: "Zt [Error]: boom (the audit printed nothing on stdout)",
    });
  });

  it("quotes trimmed stderr when no line names an error", () => {
    expect(
      auditOutcome("", "npm", { stderr: "  something went wrong\n" }),
    ).toEqual({
      kind: "unavailable",
      reason: "something went wrong (the audit printed nothing on stdout)",
    });
  });

  it("reads the first trimmed line of a yarn error, or says it had no details", () => {
    expect(
      auditOutcome('{"type":"error","data":"  Request failed \\n details"}'),
    ).toEqual({ kind: "unavailable", reason: "Request failed" });
    expect(auditOutcome('{"type":"error"}')).toEqual({
      kind: "unavailable",
      reason: "the audit reported an error without details",
    });
  });

  it("reads an indented line after the first, and a yarn summary without data as no report", () => {
    const output = [
      berryLine("a", {
        ID: 1,
        Severity: "low",
        "Vulnerable Versions": "*",
        Issue: "one",
      }),
      `  ${berryLine("b", { ID: 2, Severity: "low", "Vulnerable Versions": "*", Issue: "two" })}`,
    ].join("\n");
    expect(
      findingsOf(auditOutcome(output, "yarn-berry")).map((f) => f.id),
    ).toEqual(["1", "2"]);
    expect(
      auditOutcome('{"type":"auditSummary","data":null}', "yarn-classic").kind,
    ).toBe("unavailable");
  });

  it("takes only a JSON line of type error from stderr", () => {
    const stderr =
      '{"type":"warning","data":"a warning"}\nerror Request failed';
    expect(auditOutcome("", "yarn-classic", { stderr })).toEqual({
      kind: "unavailable",
      reason: "error Request failed (the audit printed nothing on stdout)",
    });
  });
});
