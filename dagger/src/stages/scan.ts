import { dag, type Container, type Directory } from "@dagger.io/dagger";
import {
  brokenGate,
  failureMessage,
  severityGate,
  skippedGate,
  type Finding,
  type GateVerdict,
} from "../core/gates.js";
import { auditOutcome } from "../core/parse/audit.js";
import { gitleaksFindings } from "../core/parse/gitleaks.js";
import { licenseGate, yarnProductionLicenses } from "../core/parse/licenses.js";
import {
  trivyDatabaseUnavailable,
  trivyFindings,
} from "../core/parse/trivy.js";
import { checkedImage, noDockerfile } from "./build.js";
import {
  capture,
  downloadCache,
  installedDependencies,
  nodeBase,
  readIfPresent,
  SRC,
  tail,
  uncached,
  withPackageManager,
  type Project,
} from "./workspace.js";

/** The license reader, pinned so a new release cannot change the gate under a team's feet. */
export const LICENSE_CHECKER = "license-checker-rseidelsohn@4.4.2";
const TOOLS_PREFIX = "/opt/gantry-tools";
const IMAGE_TAR = "/image.tar";
const REPORT = "/tmp/report.json";

/** Dependency audit, secrets, image and filesystem vulnerabilities, misconfigurations and licenses; without an image, all but its scan. */
export async function scanGates(project: Project): Promise<GateVerdict[]> {
  const image = checkedImage(project);
  // Each scan reports on its own: an image that does not build must not take the repository's scans with it.
  const settled = (name: string, scan: Promise<GateVerdict[]>) =>
    scan.catch((error: unknown) => [brokenGate(name, failureMessage(error))]);
  const gates = await Promise.all([
    settled("scan: dependency audit", auditGates(project)),
    settled("scan: secrets", secretGates(project)),
    trivyGates(project, image),
    settled("scan: licenses", licenseGates(project)),
  ]);
  return gates.flat();
}

async function auditGates(project: Project): Promise<GateVerdict[]> {
  const { source, packageManager, config } = project;
  const manifestsOnly = (await withPackageManager(project))
    .withWorkdir(SRC)
    .withDirectory(SRC, source, {
      include: packageManager.manifests,
      exclude: ["**/node_modules"],
    });
  // Advisories change daily and an unreachable registry is no result: the audit always asks again.
  // Its exit code says how severe the findings are (yarn classic: a bitmask); the report says the rest.
  const result = await capture(
    uncached(manifestsOnly),
    packageManager.audit,
    "any",
  );
  const outcome = auditOutcome(result.stdout, packageManager.flavor, result);
  if (outcome.kind === "unavailable") {
    const reason = `${packageManager.name} audit could not query the advisory database: ${outcome.reason}`;
    return [
      brokenGate(
        "scan: dependency audit",
        reason,
        config.scan.auditUnavailable === "fail" ? "fail" : "warn",
      ),
    ];
  }
  return [
    severityGate("scan: dependency audit", outcome.findings, config.scan),
  ];
}

async function secretGates(project: Project): Promise<GateVerdict[]> {
  const result = await capture(
    dag
      .container()
      .from(project.config.images.gitleaks)
      .withMountedDirectory(SRC, project.source)
      .withWorkdir(SRC),
    [
      "gitleaks",
      "dir",
      SRC,
      "--report-format",
      "json",
      "--report-path",
      REPORT,
      "--exit-code",
      "0",
      "--redact",
      "--no-banner",
    ],
    [0],
  );
  const report = await readIfPresent(result.container, REPORT);
  if (result.exitCode !== 0 || report === undefined)
    return [brokenGate("scan: secrets", `gitleaks failed (${tail(result)})`)];
  return [
    severityGate(
      "scan: secrets",
      gitleaksFindings(report, SRC),
      project.config.scan,
    ),
  ];
}

async function trivyGates(
  project: Project,
  image: Container | null,
): Promise<GateVerdict[]> {
  // A mirror of the vulnerability database (air-gapped or rate-limited sites); unset: Trivy's own default.
  const { trivyDbRepository } = project.config.scan;
  const dbRepository = trivyDbRepository
    ? ["--db-repository", trivyDbRepository]
    : [];
  // One cache per database source: Trivy does not re-download a database it still finds fresh, whichever
  // repository it came from, so a shared cache would answer for a repository it was never downloaded from.
  const cache = trivyDbRepository
    ? `gantry-trivy-cache-${trivyDbRepository.replace(/[^\w.-]/g, "_")}`
    : "gantry-trivy-cache";
  const trivy = dag
    .container()
    .from(project.config.images.trivy)
    .withMountedCache("/root/.cache/trivy", dag.cacheVolume(cache))
    // A day's results at most: the vulnerability database changes daily, the image and the source may not.
    .withEnvVariable(
      "GANTRY_ADVISORY_DAY",
      new Date().toISOString().slice(0, 10),
    )
    .withMountedDirectory(SRC, project.source);
  const targets = [
    ...(image
      ? [
          {
            name: "scan: image",
            // Mounted for this scan only: the filesystem scan must not wait on, or fail with, the image build.
            container: trivy.withMountedFile(IMAGE_TAR, image.asTarball()),
            args: ["image", "--input", IMAGE_TAR, ...dbRepository],
            scanners: ["vuln", "secret"],
          },
        ]
      : []),
    {
      name: "scan: filesystem",
      container: trivy,
      args: [
        "fs",
        SRC,
        ...project.config.scan.skipDirs.flatMap((dir) => [
          "--skip-dirs",
          `${SRC}/${dir}`,
        ]),
        ...dbRepository,
      ],
      scanners: ["vuln", "misconfig"],
    },
  ];
  const results = await Promise.all(
    targets.map((target) =>
      runTrivy(target.container, target.args, target.scanners).catch(
        (error: unknown): TrivyResult => ({
          findings: [],
          error: failureMessage(error),
        }),
      ),
    ),
  );
  const skipped = image
    ? []
    : [skippedGate("scan: image", noDockerfile(project))];
  return skipped.concat(
    targets.flatMap((target, index) => {
      const { findings, dbUnavailable, error } = results[index];
      if (error) return [brokenGate(target.name, error)];
      const gate = severityGate(target.name, findings, project.config.scan);
      return dbUnavailable
        ? [
            gate,
            brokenGate(
              `${target.name}: vulnerabilities`,
              `trivy could not load its vulnerability database: ${dbUnavailable}`,
              "warn",
            ),
          ]
        : [gate];
    }),
  );
}

/** What one Trivy scan found, or why it could not scan (fully). */
interface TrivyResult {
  findings: Finding[];
  dbUnavailable?: string;
  error?: string;
}

async function runTrivy(
  trivy: Container,
  args: string[],
  scanners: string[],
): Promise<TrivyResult> {
  const run = (withScanners: string[]) =>
    capture(
      trivy,
      [
        "trivy",
        ...args,
        "--scanners",
        withScanners.join(","),
        "--format",
        "json",
        "--output",
        REPORT,
        "--exit-code",
        "0",
        "--quiet",
      ],
      [0],
    );
  let result = await run(scanners);
  const dbUnavailable =
    result.exitCode === 0 ? undefined : trivyDatabaseUnavailable(result.stderr);
  if (dbUnavailable)
    result = await run(scanners.filter((scanner) => scanner !== "vuln"));
  const report = await readIfPresent(result.container, REPORT);
  if (result.exitCode !== 0 || report === undefined)
    return { findings: [], error: `trivy failed (${tail(result)})` };
  return { findings: trivyFindings(report), dbUnavailable };
}

/** Gantry's own npm tools, installed once per version in a layer of their own, never fetched while a check runs. */
async function gantryTools(project: Project): Promise<Directory> {
  return (await nodeBase(project))
    .withMountedCache("/root/.npm", downloadCache("/root/.npm"))
    .withExec([
      "npm",
      "install",
      "--global",
      "--prefix",
      TOOLS_PREFIX,
      "--no-audit",
      "--no-fund",
      LICENSE_CHECKER,
    ])
    .directory(TOOLS_PREFIX);
}

// Where the license checker looks for a package's license besides package.json (case-insensitively).
const LICENSE_FILES = [
  "**/[Ll][Ii][Cc][Ee][Nn][CcSs][Ee]*",
  "**/[Cc][Oo][Pp][Yy][Ii][Nn][Gg]*",
  "**/[Rr][Ee][Aa][Dd][Mm][Ee]*",
];

async function licenseGates(project: Project): Promise<GateVerdict[]> {
  if (project.packageManager.plugAndPlay)
    return [await yarnLicenseGate(project)];
  const [installed, tools] = await Promise.all([
    installedDependencies(project),
    gantryTools(project),
  ]);
  // The installed dependencies and the license files, not the code: an edit of the code does not rerun the check.
  const licenseFiles = project.source.filter({
    include: LICENSE_FILES,
    exclude: ["**/node_modules"],
  });
  const result = await capture(
    installed
      .withDirectory(SRC, licenseFiles)
      .withMountedDirectory(TOOLS_PREFIX, tools),
    [
      `${TOOLS_PREFIX}/bin/license-checker-rseidelsohn`,
      "--json",
      "--production",
      "--excludePrivatePackages",
      "--out",
      REPORT,
    ],
    [0],
  );
  const report = await readIfPresent(result.container, REPORT);
  if (result.exitCode !== 0 || report === undefined)
    return [
      brokenGate("scan: licenses", `license check failed (${tail(result)})`),
    ];
  return [licenseGate(JSON.parse(report), project.config.scan.licenses.allow)];
}

// A Plug'n'Play install has no node_modules for license-checker to read: yarn lists the packages and their licenses.
async function yarnLicenseGate(project: Project): Promise<GateVerdict> {
  const { packageManager, manifest } = project;
  const result = await capture(
    await installedDependencies(project),
    [
      ...packageManager.program,
      "info",
      "--all",
      "--recursive",
      "--manifest",
      "--json",
    ],
    [0],
  );
  if (result.exitCode !== 0)
    return brokenGate("scan: licenses", `yarn info failed (${tail(result)})`);
  const production = Object.keys({
    ...manifest.dependencies,
    ...manifest.optionalDependencies,
  });
  return licenseGate(
    yarnProductionLicenses(result.stdout, production),
    project.config.scan.licenses.allow,
  );
}
