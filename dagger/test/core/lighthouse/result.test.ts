import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/core/config.js";
import {
  lighthouseGate,
  parseLighthouseResult,
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
