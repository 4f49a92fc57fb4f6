import type { GantryConfig } from "../config.js";
import { skippedGate, type GateVerdict } from "../gates.js";
import type {
  BuildOutputSize,
  ImageSize,
  Measured,
  SizeFigures,
} from "./figures.js";

/** The base the figures are compared with: its figures and how the report names it (a git ref and commit, or a baseline file). */
export interface SizeBase {
  label: string;
  figures: SizeFigures;
}

type Budget = GantryConfig["sizeBudget"];

/** One compared number of a gate. */
interface Metric {
  label: string;
  now: number;
  base?: number;
  max?: number;
  unit: "bytes" | "count";
  /** Whether growth over the base is budgeted (sizes are; the layer count only has its maximum). */
  growthBudgeted: boolean;
}

export const NO_BASE =
  "no base to compare with: pass --base with a git ref (e.g. origin/main) or --baseline with the file `dagger call size-baseline` exported on the base";

/** The size gates: build output (gzip, raw) and image (compressed, layers), each against the base and the maximums. */
export function sizeGates(
  now: SizeFigures,
  base: SizeBase | undefined,
  budget: Budget,
): GateVerdict[] {
  return [
    buildOutputGate(now.buildOutput, base, budget),
    imageGate(now.image, base, budget),
  ];
}

function buildOutputGate(
  now: Measured<BuildOutputSize>,
  base: SizeBase | undefined,
  budget: Budget,
): GateVerdict {
  const name = "size: build output";
  if (now.missing !== undefined) return skippedGate(name, now.missing);
  const before = base?.figures.buildOutput;
  const verdict = budgetGate(
    name,
    [
      {
        label: "gzip",
        now: now.value.gzip,
        base: before?.value?.gzip,
        max: budget.max.buildGzipBytes,
        unit: "bytes",
        growthBudgeted: true,
      },
      {
        label: "raw",
        now: now.value.raw,
        base: before?.value?.raw,
        max: budget.max.buildRawBytes,
        unit: "bytes",
        growthBudgeted: true,
      },
    ],
    budget.maxIncreasePercent,
    baseNote(base, before),
  );
  if (verdict.status !== "fail") return verdict;
  const baseFiles = new Map(
    (before?.value?.largest ?? []).map((file) => [file.path, file.gzip]),
  );
  return {
    ...verdict,
    details: [
      ...verdict.details,
      `largest files (gzip): ${now.value.largest
        .slice(0, 5)
        .map((file) => {
          const was = baseFiles.get(file.path);
          return `${file.path} ${formatBytes(file.gzip)} (${was === undefined ? "not among the base's largest" : `base ${formatBytes(was)}`})`;
        })
        .join(", ")}`,
    ],
  };
}

function imageGate(
  now: Measured<ImageSize>,
  base: SizeBase | undefined,
  budget: Budget,
): GateVerdict {
  const name = "size: image";
  if (now.missing !== undefined) return skippedGate(name, now.missing);
  const before = base?.figures.image;
  return budgetGate(
    name,
    [
      {
        label: "compressed",
        now: now.value.compressed,
        base: before?.value?.compressed,
        max: budget.max.imageBytes,
        unit: "bytes",
        growthBudgeted: true,
      },
      {
        label: "layers",
        now: now.value.layers,
        base: before?.value?.layers,
        max: budget.max.imageLayers,
        unit: "count",
        growthBudgeted: false,
      },
    ],
    budget.maxIncreasePercent,
    baseNote(base, before),
  );
}

/** Why the growth is not judged: no base at all, or a base without this figure; undefined when it is judged. */
function baseNote(
  base: SizeBase | undefined,
  before: Measured<unknown> | undefined,
): string | undefined {
  if (!base) return NO_BASE;
  if (before?.missing !== undefined)
    return `the base (${base.label}) has no such figure: ${before.missing}`;
  return undefined;
}

function budgetGate(
  name: string,
  metrics: Metric[],
  maxIncreasePercent: number,
  noGrowthReason: string | undefined,
): GateVerdict {
  const violations = metrics.flatMap((metric) => {
    const found: string[] = [];
    const growth = growthPercent(metric);
    if (
      metric.growthBudgeted &&
      growth !== undefined &&
      growth > maxIncreasePercent
    )
      found.push(
        `${metric.label} grew ${formatPercent(growth)} (${format(metric, metric.base!)} → ${format(metric, metric.now)}), above the allowed +${maxIncreasePercent}%`,
      );
    if (metric.max !== undefined && metric.now > metric.max)
      found.push(
        `${metric.label} is ${format(metric, metric.now)}, above the maximum ${format(metric, metric.max)}`,
      );
    return found;
  });
  const maximums = metrics
    .filter((metric) => metric.max !== undefined)
    .map((metric) => `${metric.label} <= ${format(metric, metric.max!)}`);
  const threshold = [
    noGrowthReason === undefined ? `<= +${maxIncreasePercent}% vs base` : "",
    ...maximums,
  ]
    .filter(Boolean)
    .join(", ");
  const figure = metrics.map((metric) => describe(metric)).join("; ");
  if (violations.length)
    return {
      name,
      status: "fail",
      figure,
      threshold,
      details: [
        ...violations,
        ...(noGrowthReason ? [`growth not judged: ${noGrowthReason}`] : []),
      ],
    };
  if (noGrowthReason !== undefined && !maximums.length)
    return {
      name,
      status: "skip",
      figure,
      threshold: "-",
      details: [noGrowthReason],
    };
  return { name, status: "pass", figure, threshold, details: [] };
}

function growthPercent(metric: Metric): number | undefined {
  if (metric.base === undefined) return undefined;
  if (metric.base === 0) return metric.now === 0 ? 0 : Infinity;
  return ((metric.now - metric.base) / metric.base) * 100;
}

function describe(metric: Metric): string {
  const growth = growthPercent(metric);
  if (metric.base === undefined || growth === undefined)
    return `${metric.label} ${format(metric, metric.now)}`;
  return `${metric.label} ${format(metric, metric.base)} → ${format(metric, metric.now)} (${formatPercent(growth)})`;
}

function format(metric: Metric, value: number): string {
  return metric.unit === "bytes" ? formatBytes(value) : String(value);
}

function formatPercent(growth: number): string {
  if (growth === Infinity) return "new";
  const rounded = Math.round(growth * 10) / 10;
  return `${rounded >= 0 ? "+" : ""}${rounded.toFixed(1)}%`;
}

const UNITS = ["B", "kB", "MB", "GB"];

/** Bytes in decimal units, one decimal from kB on (1 kB = 1000 B, as registries and bundlers print sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
