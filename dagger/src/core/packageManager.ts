/** The package managers Gantry drives, detected from the lockfile at the repository root. */
export type PackageManagerName = "npm" | "pnpm" | "yarn";

/** How to install, run scripts and run binaries with one package manager. */
export interface PackageManager {
  name: PackageManagerName;
  lockfile: string | null;
  /** Files that decide what gets installed; copied before the source so an edit does not reinstall. */
  manifests: string[];
  install: string[];
  installProduction: string[];
  /** Where the package manager keeps downloaded tarballs; mounted as a cache volume. */
  cacheDir: string;
  run(script: string, args?: string[]): string[];
  exec(binary: string, args?: string[]): string[];
  audit: string[];
}

const LOCKFILES: [string, PackageManagerName][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

const SHARED_MANIFESTS = [
  "**/package.json",
  ".npmrc",
  "pnpm-workspace.yaml",
  ".yarnrc.yml",
  ".yarn/releases/**",
  ".yarn/plugins/**",
];

/** Picks the package manager from the root entries of a repository; without a lockfile npm installs without one. */
export function detectPackageManager(rootEntries: string[]): PackageManager {
  const match = LOCKFILES.find(([file]) => rootEntries.includes(file));
  const [lockfile, name] = match ?? [null, "npm" as const];
  const manifests = [...SHARED_MANIFESTS, ...(lockfile ? [lockfile] : [])];
  switch (name) {
    case "pnpm":
      return {
        name,
        lockfile,
        manifests,
        install: ["pnpm", "install", "--frozen-lockfile"],
        installProduction: ["pnpm", "install", "--frozen-lockfile", "--prod"],
        cacheDir: "/root/.local/share/pnpm/store",
        run: (script, args = []) => ["pnpm", "run", script, ...args],
        exec: (binary, args = []) => ["pnpm", "exec", binary, ...args],
        audit: ["pnpm", "audit", "--json"],
      };
    case "yarn":
      return {
        name,
        lockfile,
        manifests,
        install: ["yarn", "install", "--immutable"],
        installProduction: [
          "yarn",
          "workspaces",
          "focus",
          "--all",
          "--production",
        ],
        cacheDir: "/root/.yarn/berry/cache",
        run: (script, args = []) => ["yarn", "run", script, ...args],
        exec: (binary, args = []) => ["yarn", "exec", binary, ...args],
        audit: ["yarn", "npm", "audit", "--json"],
      };
    case "npm":
      return {
        name,
        lockfile,
        manifests,
        install: lockfile ? ["npm", "ci"] : ["npm", "install"],
        installProduction: lockfile
          ? ["npm", "ci", "--omit=dev"]
          : ["npm", "install", "--omit=dev"],
        cacheDir: "/root/.npm",
        run: (script, args = []) => [
          "npm",
          "run",
          script,
          ...(args.length ? ["--", ...args] : []),
        ],
        exec: (binary, args = []) => ["npx", "--no-install", binary, ...args],
        audit: ["npm", "audit", "--json"],
      };
  }
}
