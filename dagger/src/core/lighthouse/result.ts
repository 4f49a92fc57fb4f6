import { z } from "zod";
import type { GantryConfig } from "../config.js";
import { brokenGate, type GateVerdict } from "../gates.js";

/** The Lighthouse categories Gantry gates on, in report order. */
export const CATEGORIES = [
  "performance",
  "accessibility",
  "best-practices",
  "seo",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** An audit that did not pass, with what it cost its category. */
export interface FailingAudit {
  id: string;
  title: string;
  displayValue?: string;
  /** Category points lost: weight × (1 − score), over the category's total weight, × 100. */
  lostPoints: number;
  /** Estimated time saved by fixing it (Lighthouse's opportunities), for audits that carry no weight. */
  savingsMs: number;
}

/** One page's Lighthouse run: its category scores (0–100) and, per category, the failing audits, costliest first. */
export interface PageResult {
  page: string;
  scores: Record<Category, number | null>;
  failing: Record<Category, FailingAudit[]>;
  /** Set when Lighthouse could not load or audit the page. */
  runtimeError?: string;
}

// Lighthouse counts an audit as passed from 0.9 on.
const PASSING_SCORE = 0.9;
const SCORED_MODES = ["binary", "numeric", "metricSavings"];
const AUDITS_SHOWN = 5;

const lighthouseResult = z.object({
  runtimeError: z.object({ code: z.string(), message: z.string() }).optional(),
  categories: z.record(
    z.string(),
    z.object({
      score: z.number().nullable(),
      auditRefs: z.array(z.object({ id: z.string(), weight: z.number() })),
    }),
  ),
  audits: z.record(
    z.string(),
    z.object({
      id: z.string(),
      title: z.string(),
      score: z.number().nullable(),
      scoreDisplayMode: z.string(),
      displayValue: z.string().optional(),
      metricSavings: z.record(z.string(), z.number()).optional(),
      details: z
        .object({ overallSavingsMs: z.number().optional() })
        .loose()
        .optional(),
    }),
  ),
});

/** Reads Lighthouse's JSON result (`--output json`) for `page`. */
export function parseLighthouseResult(page: string, json: string): PageResult {
  const result = lighthouseResult.parse(JSON.parse(json));
  const scores = {} as PageResult["scores"];
  const failing = {} as PageResult["failing"];
  for (const category of CATEGORIES) {
    const entry = result.categories[category];
    scores[category] =
      entry?.score === null || entry === undefined
        ? null
        : Math.round(entry.score * 100);
    const totalWeight =
      entry?.auditRefs.reduce((sum, ref) => sum + ref.weight, 0) ?? 0;
    failing[category] = (entry?.auditRefs ?? [])
      .map((ref) => ({ ref, audit: result.audits[ref.id] }))
      .filter(
        ({ audit }) =>
          audit !== undefined &&
          SCORED_MODES.includes(audit.scoreDisplayMode) &&
          audit.score !== null &&
          audit.score < PASSING_SCORE,
      )
      .map(({ ref, audit }) => ({
        id: audit.id,
        title: audit.title,
        ...(audit.displayValue ? { displayValue: audit.displayValue } : {}),
        lostPoints: totalWeight
          ? (ref.weight * (1 - audit.score!) * 100) / totalWeight
          : 0,
        savingsMs:
          audit.details?.overallSavingsMs ??
          Math.max(0, ...Object.values(audit.metricSavings ?? {})),
      }))
      .sort(
        (a, b) =>
          b.lostPoints - a.lostPoints ||
          b.savingsMs - a.savingsMs ||
          a.id.localeCompare(b.id),
      );
  }
  return {
    page,
    scores,
    failing,
    ...(result.runtimeError
      ? {
          runtimeError: `${result.runtimeError.code}: ${result.runtimeError.message}`,
        }
      : {}),
  };
}

type MinScores = GantryConfig["lighthouse"]["minScores"];

/** One gate per page: every category at or above its minimum; a failure lists the costliest failing audits. */
export function lighthouseGate(
  result: PageResult,
  minScores: MinScores,
): GateVerdict {
  const name = `lighthouse: ${result.page}`;
  if (result.runtimeError)
    return brokenGate(
      name,
      `Lighthouse could not audit ${result.page}: ${result.runtimeError}`,
    );
  const below = CATEGORIES.filter((category) => {
    const score = result.scores[category];
    return score === null || score < minScores[category];
  });
  return {
    name,
    status: below.length ? "fail" : "pass",
    figure: CATEGORIES.map(
      (category) => `${category} ${result.scores[category] ?? "n/a"}`,
    ).join(", "),
    threshold: thresholdOf(minScores),
    details: below.map((category) => {
      const audits = result.failing[category]
        .slice(0, AUDITS_SHOWN)
        .map(
          (audit) =>
            `${audit.id} (${audit.title}${audit.displayValue ? `: ${audit.displayValue}` : ""})`,
        );
      return `${category} ${result.scores[category] ?? "has no score"}, below ${minScores[category]}${audits.length ? `; largest failing audits: ${audits.join("; ")}` : ""}`;
    }),
  };
}

function thresholdOf(minScores: MinScores): string {
  const values = CATEGORIES.map((category) => minScores[category]);
  if (values.every((value) => value === values[0]))
    return `each >= ${values[0]}`;
  return CATEGORIES.map(
    (category) => `${category} >= ${minScores[category]}`,
  ).join(", ");
}
