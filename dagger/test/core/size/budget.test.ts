import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/core/config.js";
import {
  formatBytes,
  NO_BASE,
  sizeGates,
} from "../../../src/core/size/budget.js";
import {
  buildOutputSize,
  type SizeFigures,
} from "../../../src/core/size/figures.js";

const budget = (sizeBudget: unknown = {}) =>
  configSchema.parse({ sizeBudget }).sizeBudget;

const figures = (gzip: number, raw: number, image: number): SizeFigures => ({
  buildOutput: {
    value: buildOutputSize([
      { path: "main.js", raw: raw - 100, gzip: gzip - 50 },
      { path: "index.html", raw: 100, gzip: 50 },
    ]),
  },
  image: { value: { compressed: image, layers: 9 } },
});

describe("sizeGates", () => {
  it("without a base, reports the figures and skips with the reason", () => {
    const [build, image] = sizeGates(
      figures(1200, 4000, 75e6),
      undefined,
      budget(),
    );
    expect(build).toMatchObject({
      name: "size: build output",
      status: "skip",
      figure: "gzip 1.2 kB; raw 4.0 kB",
      details: [NO_BASE],
    });
    expect(image).toMatchObject({
      status: "skip",
      figure: "compressed 75.0 MB; layers 9",
    });
  });

  it("passes growth within the budget and shows base, now and change", () => {
    const [build] = sizeGates(
      figures(1100, 4400, 75e6),
      { label: "main (abc1234)", figures: figures(1000, 4000, 75e6) },
      budget(),
    );
    expect(build).toMatchObject({
      status: "pass",
      figure: "gzip 1.0 kB → 1.1 kB (+10.0%); raw 4.0 kB → 4.4 kB (+10.0%)",
      threshold: "<= +20% vs base",
    });
  });

  it("fails growth over the budget, naming the figure and the largest files", () => {
    const [build, image] = sizeGates(
      figures(3000, 4400, 75e6),
      { label: "main (abc1234)", figures: figures(1000, 4000, 75e6) },
      budget(),
    );
    expect(build.status).toBe("fail");
    expect(build.details).toEqual([
      "gzip grew +200.0% (1.0 kB → 3.0 kB), above the allowed +20%",
      "largest files (gzip): main.js 3.0 kB (base 950 B), index.html 50 B (base 50 B)",
    ]);
    expect(image).toMatchObject({
      status: "pass",
      figure: "compressed 75.0 MB → 75.0 MB (+0.0%); layers 9 → 9 (+0.0%)",
    });
  });

  it("honours a configured percentage", () => {
    const [build] = sizeGates(
      figures(3000, 4400, 75e6),
      { label: "v1.0.0 (abc1234)", figures: figures(1000, 4000, 75e6) },
      budget({ maxIncreasePercent: 250 }),
    );
    expect(build.status).toBe("pass");
    expect(build.threshold).toBe("<= +250% vs base");
  });

  it("judges absolute maximums without a base", () => {
    const [build, image] = sizeGates(
      figures(1200, 4000, 75e6),
      undefined,
      budget({ max: { buildGzipBytes: 1000, imageLayers: 10 } }),
    );
    expect(build).toMatchObject({
      status: "fail",
      threshold: "gzip <= 1.0 kB",
      details: [
        "gzip is 1.2 kB, above the maximum 1.0 kB",
        `growth not judged: ${NO_BASE}`,
        expect.stringMatching(/^largest files/),
      ],
    });
    expect(image).toMatchObject({ status: "pass", threshold: "layers <= 10" });
  });

  it("budgets the layer count only by its maximum", () => {
    const base = figures(1000, 4000, 75e6);
    const now: SizeFigures = {
      ...base,
      image: { value: { compressed: 75e6, layers: 14 } },
    };
    const [, image] = sizeGates(
      now,
      { label: "main", figures: base },
      budget(),
    );
    expect(image.status).toBe("pass");
  });

  it("skips the growth of a figure the base lacks, with the base's reason", () => {
    const base: SizeFigures = {
      ...figures(1000, 4000, 75e6),
      buildOutput: { missing: 'no "build" script in package.json' },
    };
    const [build] = sizeGates(
      figures(1000, 4000, 75e6),
      { label: "main (abc1234)", figures: base },
      budget(),
    );
    expect(build).toMatchObject({
      status: "skip",
      details: [
        'the base (main (abc1234)) has no such figure: no "build" script in package.json',
      ],
    });
  });

  it("skips a figure the change itself cannot measure", () => {
    const now: SizeFigures = {
      ...figures(1, 1, 1),
      image: { missing: "no Dockerfile" },
    };
    expect(sizeGates(now, undefined, budget())[1]).toMatchObject({
      status: "skip",
      details: ["no Dockerfile"],
    });
  });

  it("calls a figure that grew from nothing new", () => {
    const base: SizeFigures = {
      ...figures(1000, 4000, 75e6),
      buildOutput: { value: buildOutputSize([]) },
    };
    const [build] = sizeGates(
      figures(1000, 4000, 75e6),
      { label: "main", figures: base },
      budget(),
    );
    expect(build.status).toBe("fail");
    expect(build.figure).toBe(
      "gzip 0 B → 1.0 kB (new); raw 0 B → 4.0 kB (new)",
    );
  });
});

describe("formatBytes", () => {
  it("uses decimal units", () => {
    expect([0, 999, 1000, 1_234_567, 2e9].map(formatBytes)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "1.2 MB",
      "2.0 GB",
    ]);
  });
});

describe("sizeGates at their limits", () => {
  const base = { label: "main (abc1234)", figures: figures(1000, 4000, 75e6) };

  it("passes growth of exactly the allowed percentage and fails one step over, per figure", () => {
    const [atLimit, image] = sizeGates(
      figures(1200, 4800, 90e6),
      base,
      budget(),
    );
    expect(atLimit).toMatchObject({
      status: "pass",
      figure: "gzip 1.0 kB → 1.2 kB (+20.0%); raw 4.0 kB → 4.8 kB (+20.0%)",
      details: [],
    });
    expect(image).toMatchObject({ name: "size: image", status: "pass" });
    const [build, overImage] = sizeGates(
      figures(1000, 4804, 90.1e6),
      base,
      budget(),
    );
    expect(build.details[0]).toBe(
      "raw grew +20.1% (4.0 kB → 4.8 kB), above the allowed +20%",
    );
    expect(overImage).toMatchObject({
      name: "size: image",
      status: "fail",
      details: [
        "compressed grew +20.1% (75.0 MB → 90.1 MB), above the allowed +20%",
      ],
    });
  });

  it("passes a figure at exactly its maximum and lists both kinds of threshold", () => {
    const [build] = sizeGates(
      figures(1000, 4000, 75e6),
      base,
      budget({ max: { buildGzipBytes: 1000 } }),
    );
    expect(build).toMatchObject({
      status: "pass",
      threshold: "<= +20% vs base, gzip <= 1.0 kB",
    });
  });

  it("shows a shrink with its sign, and no change from nothing to nothing", () => {
    const [shrunk] = sizeGates(figures(900, 3600, 75e6), base, budget());
    expect(shrunk.figure).toBe(
      "gzip 1.0 kB → 900 B (-10.0%); raw 4.0 kB → 3.6 kB (-10.0%)",
    );
    const empty: SizeFigures = {
      ...figures(1, 1, 75e6),
      buildOutput: { value: buildOutputSize([]) },
    };
    const [unchanged] = sizeGates(
      empty,
      { label: "main", figures: empty },
      budget(),
    );
    expect(unchanged).toMatchObject({
      status: "pass",
      figure: "gzip 0 B → 0 B (+0.0%); raw 0 B → 0 B (+0.0%)",
    });
  });

  it("lists the five largest files, naming those the base did not have", () => {
    const files = ["a", "b", "c", "d", "e", "f"].map((name, i) => ({
      path: `${name}.js`,
      raw: 10_000 - i * 1000,
      gzip: 5000 - i * 500,
    }));
    const [build] = sizeGates(
      {
        ...figures(1, 1, 75e6),
        buildOutput: { value: buildOutputSize(files) },
      },
      base,
      budget(),
    );
    expect(build.details.at(-1)).toBe(
      "largest files (gzip): a.js 5.0 kB (not among the base's largest), b.js 4.5 kB (not among the base's largest), c.js 4.0 kB (not among the base's largest), d.js 3.5 kB (not among the base's largest), e.js 3.0 kB (not among the base's largest)",
    );
  });

  it("skips without a base or maximum, with no threshold", () => {
    expect(sizeGates(figures(1, 1, 1), undefined, budget())[0].threshold).toBe(
      "-",
    );
  });

  it("stays in GB past 1000 GB", () => {
    expect(formatBytes(2e12)).toBe("2000.0 GB");
  });
});
