import type { GantryConfig } from "../config.js";
import type { GateVerdict } from "../gates.js";
import { planChecks, type CheckPlan, type CheckPlans } from "./checks.js";
import {
  detectNodeVersion,
  NODE_VERSION_FILES,
  type NodeVersion,
  type RepositoryFiles,
} from "./nodeVersion.js";
import type { PackageJson } from "./packageJson.js";
import {
  detectPackageManager,
  PACKAGE_MANAGER_FILES,
  type PackageManager,
} from "./packageManager.js";

/** Root files Gantry reads to detect the toolchain, besides package.json. */
export const TOOLCHAIN_FILES = [
  ...NODE_VERSION_FILES,
  ...PACKAGE_MANAGER_FILES,
];

/** How this repository is built and checked: Node version and image, package manager, and each check. */
export interface Toolchain {
  node: NodeVersion;
  nodeImage: string;
  packageManager: PackageManager;
  checks: CheckPlans;
}

/** What the repository holds, read by the caller. */
export interface ToolchainInputs {
  rootEntries: string[];
  packageJson: PackageJson;
  files: RepositoryFiles;
  config: GantryConfig;
  yarnPathExists: (path: string) => boolean;
}

/** Detects the repository's own toolchain, the config overriding each part. */
export function detectToolchain(inputs: ToolchainInputs): Toolchain {
  const { config, files, packageJson, rootEntries } = inputs;
  const node = detectNodeVersion(config.nodeVersion, files, packageJson);
  return {
    node,
    nodeImage: config.images.node ?? `node:${node.version}-bookworm-slim`,
    packageManager: detectPackageManager({
      rootEntries,
      packageJson,
      files,
      config: config.packageManager,
      yarnPathExists: inputs.yarnPathExists,
    }),
    checks: planChecks({ rootEntries, packageJson, config }),
  };
}

/** The report row that says what Gantry detected; a warning when corepack runs without verifying signatures. */
export function toolchainGate(toolchain: Toolchain): GateVerdict {
  const { node, nodeImage, packageManager, checks } = toolchain;
  const unverified =
    packageManager.source.kind === "corepack" &&
    !packageManager.source.verifySignatures;
  return {
    name: "toolchain",
    status: unverified ? "warn" : "pass",
    figure: `node ${node.version}, ${packageManager.name}`,
    threshold: "detected",
    details: [
      ...(unverified
        ? [
            `corepack installs ${packageManager.name} WITHOUT verifying its signature (packageManager.verifySignatures is false in gantry.config.json)`,
          ]
        : []),
      `node ${node.version} from ${node.origin}, image ${nodeImage}`,
      `package manager: ${packageManager.description}`,
      ...(Object.entries(checks) as [string, CheckPlan][]).map(
        ([check, plan]) => `${check}: ${describePlan(plan)}`,
      ),
    ],
  };
}

function describePlan(plan: CheckPlan): string {
  switch (plan.kind) {
    case "tool":
      return `${plan.tool} ${plan.args.join(" ")}`.trim() + ` (${plan.origin})`;
    case "script":
      return `script "${plan.script}" (${plan.origin})`;
    case "none":
      return `skipped: ${plan.reason}`;
  }
}
