import semver from "semver";
import type { PackageJson } from "./packageJson.js";

/** Gantry's Node.js major when neither the config nor the repository names one. */
export const DEFAULT_NODE_VERSION = "22";
/** The newest LTS line, for `lts/*` pins (Krypton since October 2025). */
const LATEST_LTS = "24";
// nvm's lts/<codename> aliases.
const LTS_CODENAMES: Record<string, string> = {
  argon: "4",
  boron: "6",
  carbon: "8",
  dubnium: "10",
  erbium: "12",
  fermium: "14",
  gallium: "16",
  hydrogen: "18",
  iron: "20",
  jod: "22",
  krypton: "24",
};

/** A Node.js version and the file (or field) it came from. */
export interface NodeVersion {
  version: string;
  origin: string;
}

/** The repository files that can pin Node.js, by path; a missing file is undefined. */
export type RepositoryFiles = Record<string, string | undefined>;

/** The files detectNodeVersion reads, in precedence order after package.json's volta field. */
export const NODE_VERSION_FILES = [
  ".nvmrc",
  ".node-version",
  ".tool-versions",
  "mise.toml",
  ".mise.toml",
];

/**
 * The Node.js version to run the repository's checks on: the config's nodeVersion, else the repository's exact pins
 * (.nvmrc, .node-version, .tool-versions, mise.toml, volta), else the engines.node range (Gantry's default when it
 * satisfies the range, the range's lowest major otherwise), else Gantry's default.
 */
export function detectNodeVersion(
  configured: string | undefined,
  files: RepositoryFiles,
  packageJson: Pick<PackageJson, "engines" | "volta">,
): NodeVersion {
  if (configured) return { version: configured, origin: "gantry config" };
  const pins: [string, string | undefined][] = [
    [".nvmrc", files[".nvmrc"]?.split("\n")[0]],
    [".node-version", files[".node-version"]?.split("\n")[0]],
    [".tool-versions", toolVersionsNode(files[".tool-versions"])],
    ["mise.toml", miseNode(files["mise.toml"])],
    [".mise.toml", miseNode(files[".mise.toml"])],
    ["package.json volta.node", packageJson.volta?.node],
  ];
  for (const [origin, pin] of pins) {
    const version = pin === undefined ? undefined : fromPin(pin);
    if (version) return { version, origin };
  }
  const range = packageJson.engines?.node;
  const version = range === undefined ? undefined : fromRange(range);
  if (version) return { version, origin: `engines.node "${range}"` };
  return { version: DEFAULT_NODE_VERSION, origin: "Gantry's default" };
}

/** `22`, `v22.1.0`, `22.x`, `lts/iron`, `lts/*` → an image tag version; anything else (`node`, `system`) → undefined. */
function fromPin(pin: string): string | undefined {
  const text = pin.trim().replace(/^v/, "");
  const lts = /^lts\/(.+)$/i.exec(text);
  if (lts) {
    const name = lts[1].toLowerCase();
    return name === "*" ? LATEST_LTS : LTS_CODENAMES[name];
  }
  const exact = /^(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(text);
  if (!exact) return undefined;
  return [exact[1], exact[2], exact[3]]
    .filter((part) => part !== undefined && part !== "x")
    .join(".");
}

function fromRange(range: string): string | undefined {
  const valid = semver.validRange(range);
  if (!valid) return undefined;
  if (semver.intersects(valid, `${DEFAULT_NODE_VERSION}.x`))
    return DEFAULT_NODE_VERSION;
  const lowest = semver.minVersion(valid);
  return lowest ? String(lowest.major) : undefined;
}

// asdf's format: one "tool version [fallback…]" per line; Node is "nodejs" (asdf) or "node" (mise).
function toolVersionsNode(text: string | undefined): string | undefined {
  for (const line of text?.split("\n") ?? []) {
    const [tool, version] = line.replace(/#.*/, "").trim().split(/\s+/);
    if ((tool === "nodejs" || tool === "node") && version) return version;
  }
  return undefined;
}

// mise.toml: `node = "24"` (or nodejs, or { version = "24" }) inside the [tools] table.
function miseNode(text: string | undefined): string | undefined {
  let inTools = false;
  for (const raw of text?.split("\n") ?? []) {
    const line = raw.replace(/#.*/, "").trim();
    const table = /^\[(.+)\]$/.exec(line);
    if (table) {
      inTools = table[1].trim() === "tools";
      continue;
    }
    const entry =
      /^"?(node|nodejs)"?\s*=\s*(?:"([^"]+)"|\{[^}]*version\s*=\s*"([^"]+)"[^}]*\}|\[\s*"([^"]+)")/.exec(
        line,
      );
    if (inTools && entry) return entry[2] ?? entry[3] ?? entry[4];
  }
  return undefined;
}
