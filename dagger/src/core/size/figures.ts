import { z } from "zod";

/** One file of the build output. */
export interface FileSize {
  path: string;
  raw: number;
  gzip: number;
}

/** The build script's output directory: totals and its largest files (by gzip size). */
export interface BuildOutputSize {
  raw: number;
  gzip: number;
  files: number;
  largest: FileSize[];
}

/** The service image as a registry stores it: gzip-compressed layers. */
export interface ImageSize {
  compressed: number;
  layers: number;
}

/** A figure, or why it could not be measured (no build script, no Dockerfile). */
export type Measured<T> =
  { value: T; missing?: undefined } | { value?: undefined; missing: string };

/** Everything the size budget measures of one tree. */
export interface SizeFigures {
  buildOutput: Measured<BuildOutputSize>;
  image: Measured<ImageSize>;
}

// How many of the largest files a figure (and so a baseline file) keeps.
const LARGEST_KEPT = 10;
const BASELINE_VERSION = 1;

/** Totals of the files the measuring script listed, keeping the largest by gzip size. */
export function buildOutputSize(files: FileSize[]): BuildOutputSize {
  const sum = (key: "raw" | "gzip") =>
    files.reduce((total, file) => total + file[key], 0);
  return {
    raw: sum("raw"),
    gzip: sum("gzip"),
    files: files.length,
    largest: [...files]
      .sort((a, b) => b.gzip - a.gzip || a.path.localeCompare(b.path))
      .slice(0, LARGEST_KEPT),
  };
}

const fileSizeSchema = z.object({
  path: z.string(),
  raw: z.number().int().min(0),
  gzip: z.number().int().min(0),
});

/** The measuring script's output: one entry per file. */
export function parseFileSizes(json: string): FileSize[] {
  return z.array(fileSizeSchema).parse(JSON.parse(json));
}

const measured = <T extends z.ZodType>(value: T) =>
  z.union([
    z.object({ value }).strict(),
    z.object({ missing: z.string() }).strict(),
  ]);

const baselineSchema = z
  .object({
    gantrySizeBaseline: z.literal(BASELINE_VERSION),
    buildOutput: measured(
      z
        .object({
          raw: z.number().int().min(0),
          gzip: z.number().int().min(0),
          files: z.number().int().min(0),
          largest: z.array(fileSizeSchema),
        })
        .strict(),
    ),
    image: measured(
      z
        .object({
          compressed: z.number().int().min(0),
          layers: z.number().int().min(0),
        })
        .strict(),
    ),
  })
  .strict();

/** The baseline file `size-baseline` exports and `ci --baseline` reads. */
export function serializeBaseline(figures: SizeFigures): string {
  return `${JSON.stringify({ gantrySizeBaseline: BASELINE_VERSION, ...figures }, null, 2)}\n`;
}

/** Reads a baseline file; a clear error names --baseline and what is wrong. */
export function parseBaseline(text: string): SizeFigures {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--baseline is not JSON (${(error as Error).message}): expected the file \`dagger call size-baseline\` exports`,
      { cause: error },
    );
  }
  const result = baselineSchema.safeParse(raw);
  if (!result.success) {
    const fields = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new Error(
      `--baseline is not a Gantry size baseline (${fields}): expected the file \`dagger call size-baseline\` exports`,
    );
  }
  const { buildOutput, image } = result.data;
  return { buildOutput, image } as SizeFigures;
}
