import { z } from "zod";

// package.json is the repository's file, not Gantry's: a field of a type Gantry cannot use is left alone, read as if
// absent (as the detectors always did), never an error.
const ignoredUnless = <T extends z.ZodType>(schema: T) =>
  schema.optional().catch(undefined);

const nodePin = z.looseObject({ node: ignoredUnless(z.string()) });

const packageJsonSchema = z.looseObject({
  /** Only the scripts that are command strings; a package manager runs nothing else. */
  scripts: ignoredUnless(
    z
      .record(z.string(), z.unknown())
      .transform((scripts) =>
        Object.fromEntries(
          Object.entries(scripts).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string",
          ),
        ),
      ),
  ),
  dependencies: ignoredUnless(z.record(z.string(), z.unknown())),
  devDependencies: ignoredUnless(z.record(z.string(), z.unknown())),
  optionalDependencies: ignoredUnless(z.record(z.string(), z.unknown())),
  engines: ignoredUnless(nodePin),
  volta: ignoredUnless(nodePin),
  /** corepack's "name@version" field. */
  packageManager: ignoredUnless(z.string()),
  /** Prettier's config, when the repository keeps it here. */
  prettier: z.unknown().optional(),
  /** Gantry's config, when the repository has no gantry.config.json. */
  gantry: z.unknown().optional(),
});

/** package.json as Gantry reads it: the fields it uses, typed, and every other field kept as it is. */
export type PackageJson = z.output<typeof packageJsonSchema>;

/** Parses --source's package.json; an error naming the file when it is not valid JSON or not an object. */
export function parsePackageJson(text: string): PackageJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--source has a package.json that is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  const parsed = packageJsonSchema.safeParse(value);
  if (!parsed.success)
    throw new Error("--source has a package.json that is not a JSON object");
  return parsed.data;
}
