import { describe, expect, it } from "vitest";
import { coverageMinimumGates } from "../../src/core/coverage.js";

const summary = (lines: number, branches = 90) =>
  JSON.stringify({
    total: {
      lines: { pct: lines },
      statements: { pct: lines },
      functions: { pct: 100 },
      branches: { pct: branches },
    },
  });

describe("coverageMinimumGates", () => {
  it("blocks below a minimum the config sets", () => {
    const [gate] = coverageMinimumGates(summary(79.9), { lines: 80 });
    expect(gate).toMatchObject({ name: "coverage: lines", status: "fail" });
    expect(coverageMinimumGates(summary(80), { lines: 80 })[0].status).toBe(
      "pass",
    );
  });

  it("gates every metric the config names, and only those", () => {
    const gates = coverageMinimumGates(summary(95, 60), { branches: 70 });
    expect(gates.map((gate) => [gate.name, gate.status])).toEqual([
      ["coverage: branches", "fail"],
    ]);
  });

  it("only warns below Gantry's own 80 % when the config sets no minimum", () => {
    const [below] = coverageMinimumGates(summary(50), {});
    expect(below.status).toBe("warn");
    expect(below.threshold).toBe(">= 80%");
    expect(below.details.at(-1)).toMatch(
      /advisory minimum: set coverage.lines in gantry.config.json to make it blocking/,
    );
    expect(coverageMinimumGates(summary(80), {})[0].status).toBe("pass");
    // Hand-written: a metric present but undefined is as unset as an absent one.
    expect(
      coverageMinimumGates(summary(50), { lines: undefined }).map(
        (gate) => gate.status,
      ),
    ).toEqual(["warn"]);
  });
});
