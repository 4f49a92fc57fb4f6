import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** True when the module was started with `node <file>`, false when imported (e.g. by tests). */
export function isEntrypoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return (
    script !== undefined &&
    moduleUrl === pathToFileURL(realpathSync(script)).href
  );
}
