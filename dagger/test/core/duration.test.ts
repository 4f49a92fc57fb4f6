import { describe, expect, it } from "vitest";
import { seconds } from "../../src/core/duration.js";

describe("seconds", () => {
  it("prints milliseconds as seconds with one decimal and a unit", () => {
    expect(seconds(0)).toBe("0.0 s");
    expect(seconds(1234)).toBe("1.2 s");
    expect(seconds(1250)).toBe("1.3 s");
    expect(seconds(86_400_000)).toBe("86400.0 s");
  });
});
