import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/core/config.js";
import {
  lighthouseGate,
  parseLighthouseResult,
  type PageResult,
} from "../../../src/core/lighthouse/result.js";

const minScores = (scores: unknown = {}) =>
  configSchema.parse({ lighthouse: { minScores: scores } }).lighthouse
    .minScores;

const audit = (
  id: string,
  score: number | null,
  extra: Record<string, unknown> = {},
) => ({
  id,
  title: `${id} title`,
  score,
  scoreDisplayMode: "binary",
  ...extra,
});

/** A Lighthouse result shaped like `lighthouse --output json`, cut to what Gantry reads. */
function result(performance: number, accessibility: number): string {
  return JSON.stringify({
    lighthouseVersion: "12.6.1",
    categories: {
      performance: {
        score: performance,
        auditRefs: [
          { id: "first-contentful-paint", weight: 10 },
          { id: "largest-contentful-paint", weight: 25 },
          { id: "total-blocking-time", weight: 30 },
          { id: "render-blocking-resources", weight: 0 },
          { id: "unused-javascript", weight: 0 },
          { id: "network-requests", weight: 0 },
        ],
      },
      accessibility: {
        score: accessibility,
        auditRefs: [
          { id: "label", weight: 7 },
          { id: "select-name", weight: 7 },
          { id: "document-title", weight: 7 },
          { id: "aria-allowed-attr", weight: 10 },
        ],
      },
      "best-practices": { score: 1, auditRefs: [] },
      seo: { score: 0.92, auditRefs: [] },
    },
    audits: {
      "first-contentful-paint": audit("first-contentful-paint", 0.1, {
        scoreDisplayMode: "numeric",
        displayValue: "9.8 s",
      }),
      "largest-contentful-paint": audit("largest-contentful-paint", 0.2, {
        scoreDisplayMode: "numeric",
        displayValue: "9.9 s",
      }),
      "total-blocking-time": audit("total-blocking-time", 1, {
        scoreDisplayMode: "numeric",
      }),
      "render-blocking-resources": audit("render-blocking-resources", 0, {
        scoreDisplayMode: "metricSavings",
        displayValue: "Potential savings of 9,300 ms",
        details: { type: "opportunity", overallSavingsMs: 9300 },
      }),
      "unused-javascript": audit("unused-javascript", 0.5, {
        scoreDisplayMode: "metricSavings",
        metricSavings: { LCP: 300, FCP: 150 },
      }),
      "network-requests": audit("network-requests", null, {
        scoreDisplayMode: "informative",
      }),
      label: audit("label", 0),
      "select-name": audit("select-name", 0),
      "document-title": audit("document-title", 1),
      "aria-allowed-attr": audit("aria-allowed-attr", null, {
        scoreDisplayMode: "notApplicable",
      }),
    },
  });
}

describe("parseLighthouseResult", () => {
  it("reads the category scores and orders failing audits by the points they cost, then by savings", () => {
    const page = parseLighthouseResult("/", result(0.31, 0.79));
    expect(page.scores).toEqual({
      performance: 31,
      accessibility: 79,
      "best-practices": 100,
      seo: 92,
    });
    expect(page.failing.performance.map((a) => a.id)).toEqual([
      "largest-contentful-paint",
      "first-contentful-paint",
      "render-blocking-resources",
      "unused-javascript",
    ]);
    expect(page.failing.performance[0].lostPoints).toBeCloseTo(
      (25 * 0.8 * 100) / 65,
    );
    expect(page.failing.accessibility.map((a) => a.id)).toEqual([
      "label",
      "select-name",
    ]);
    expect(page.failing.seo).toEqual([]);
  });

  it("keeps Lighthouse's runtime error", () => {
    const page = parseLighthouseResult(
      "/missing",
      JSON.stringify({
        runtimeError: {
          code: "ERRORED_DOCUMENT_REQUEST",
          message:
            "Lighthouse was unable to reliably load the page (Status code: 404)",
        },
        categories: { performance: { score: null, auditRefs: [] } },
        audits: {},
      }),
    );
    expect(lighthouseGate(page, minScores())).toMatchObject({
      status: "fail",
      figure: "did not run",
      details: [
        "Lighthouse could not audit /missing: ERRORED_DOCUMENT_REQUEST: Lighthouse was unable to reliably load the page (Status code: 404)",
      ],
    });
  });

  it("refuses output that is not a Lighthouse result", () => {
    expect(() => parseLighthouseResult("/", '{"categories": 1}')).toThrow();
  });
});

describe("lighthouseGate", () => {
  it("passes a page whose every category meets its minimum", () => {
    const gate = lighthouseGate(
      parseLighthouseResult("/", result(0.95, 0.9)),
      minScores(),
    );
    expect(gate).toEqual({
      name: "lighthouse: /",
      status: "pass",
      figure: "performance 95, accessibility 90, best-practices 100, seo 92",
      threshold: "each >= 90",
      details: [],
    });
  });

  it("fails each category under its minimum, naming its largest failing audits", () => {
    const gate = lighthouseGate(
      parseLighthouseResult("/slow.html", result(0.31, 0.79)),
      minScores(),
    );
    expect(gate.status).toBe("fail");
    expect(gate.details).toEqual([
      "performance 31, below 90; largest failing audits: largest-contentful-paint (largest-contentful-paint title: 9.9 s); first-contentful-paint (first-contentful-paint title: 9.8 s); render-blocking-resources (render-blocking-resources title: Potential savings of 9,300 ms); unused-javascript (unused-javascript title)",
      "accessibility 79, below 90; largest failing audits: label (label title); select-name (select-name title)",
    ]);
  });

  it("honours per-category minimums", () => {
    const gate = lighthouseGate(
      parseLighthouseResult("/", result(0.31, 0.79)),
      minScores({ performance: 30, accessibility: 75 }),
    );
    expect(gate.status).toBe("pass");
    expect(gate.threshold).toBe(
      "performance >= 30, accessibility >= 75, best-practices >= 90, seo >= 90",
    );
  });
});

// Hand-written results (the `audit` helper above), each on one side of a rule of result.ts.
describe("parseLighthouseResult, edge cases", () => {
  const one = (auditRefs: unknown[], audits: Record<string, unknown>) =>
    parseLighthouseResult(
      "/",
      JSON.stringify({
        categories: { performance: { score: 0.5, auditRefs } },
        audits,
      }),
    );

  it("counts an audit at exactly 0.9 as passed and one just below as failing", () => {
    const page = one(
      [
        { id: "at", weight: 1 },
        { id: "below", weight: 1 },
      ],
      { at: audit("at", 0.9), below: audit("below", 0.89) },
    );
    expect(page.failing.performance.map((a) => a.id)).toEqual(["below"]);
    expect(page.failing.performance[0].lostPoints).toBeCloseTo(5.5);
  });

  it("skips a reference to an audit the result does not carry, and unscored display modes", () => {
    const page = one(
      [
        { id: "absent", weight: 5 },
        { id: "manual", weight: 0 },
        { id: "failing", weight: 5 },
      ],
      {
        manual: audit("manual", 0, { scoreDisplayMode: "manual" }),
        failing: audit("failing", 0),
      },
    );
    expect(page.failing.performance.map((a) => a.id)).toEqual(["failing"]);
    expect(page.failing.performance[0].lostPoints).toBe(50);
  });

  it("gives an opportunity's savings as its largest metric saving, and orders weightless audits by them", () => {
    const page = one(
      [
        { id: "small", weight: 0 },
        { id: "large", weight: 0 },
        { id: "none", weight: 0 },
      ],
      {
        small: audit("small", 0.5, {
          scoreDisplayMode: "metricSavings",
          metricSavings: { LCP: 150, FCP: 100 },
        }),
        large: audit("large", 0.5, {
          scoreDisplayMode: "metricSavings",
          metricSavings: { FCP: 200, LCP: 900 },
        }),
        none: audit("none", 0.5, { scoreDisplayMode: "metricSavings" }),
      },
    );
    expect(
      page.failing.performance.map(({ id, savingsMs, lostPoints }) => ({
        id,
        savingsMs,
        lostPoints,
      })),
    ).toEqual([
      { id: "large", savingsMs: 900, lostPoints: 0 },
      { id: "small", savingsMs: 150, lostPoints: 0 },
      { id: "none", savingsMs: 0, lostPoints: 0 },
    ]);
  });

  it("has no score and no failing audits for a category the result lacks", () => {
    const page = one([], {});
    expect(page.scores.accessibility).toBeNull();
    expect(page.failing.accessibility).toEqual([]);
    expect(page.scores.performance).toBe(50);
  });
});

describe("lighthouseGate, edge cases", () => {
  const page = (
    scores: Partial<PageResult["scores"]>,
    failing: Partial<PageResult["failing"]> = {},
  ): PageResult => ({
    page: "/",
    scores: {
      performance: 90,
      accessibility: 90,
      "best-practices": 90,
      seo: 90,
      ...scores,
    },
    failing: {
      performance: [],
      accessibility: [],
      "best-practices": [],
      seo: [],
      ...failing,
    },
  });

  it("passes a category at exactly its minimum and fails one a point below", () => {
    expect(lighthouseGate(page({}), minScores()).status).toBe("pass");
    expect(lighthouseGate(page({ seo: 89 }), minScores()).details).toEqual([
      "seo 89, below 90",
    ]);
  });

  it("fails a category without a score, printed as n/a", () => {
    const gate = lighthouseGate(page({ seo: null }), minScores());
    expect(gate).toMatchObject({
      status: "fail",
      figure: "performance 90, accessibility 90, best-practices 90, seo n/a",
      details: ["seo has no score, below 90"],
    });
  });

  it("names at most the five costliest failing audits of a category", () => {
    const failing = ["a", "b", "c", "d", "e", "f"].map((id) => ({
      id,
      title: id.toUpperCase(),
      lostPoints: 1,
      savingsMs: 0,
    }));
    expect(
      lighthouseGate(
        page({ performance: 10 }, { performance: failing }),
        minScores(),
      ).details,
    ).toEqual([
      "performance 10, below 90; largest failing audits: a (A); b (B); c (C); d (D); e (E)",
    ]);
  });
});
