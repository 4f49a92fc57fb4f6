/** Files whose version field the release bumps, when the repository has them. */
export const VERSIONED_MANIFESTS = [
  "package.json",
  "package-lock.json",
] as const;

/**
 * Sets the version of a package.json or package-lock.json (its root package too, as `npm version` does),
 * keeping the file's indentation and key order.
 */
export function bumpManifestVersion(text: string, version: string): string {
  const manifest = JSON.parse(text) as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  manifest.version = version;
  const rootPackage = manifest.packages?.[""];
  if (rootPackage) rootPackage.version = version;
  return `${JSON.stringify(manifest, null, indentation(text))}\n`;
}

function indentation(text: string): string {
  return /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? "  ";
}
