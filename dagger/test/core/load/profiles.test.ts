import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config.js";
import {
  artilleryOverrides,
  k6Scenario,
  plannedIterations,
  plannedSeconds,
  runnerDeadlineSeconds,
  scheduleOf,
} from "../../../src/core/load/profiles.js";

// Built inside each test, not while the file is collected: a mutant that makes this throw then fails tests
// (Stryker counts a file that fails to collect as no test; see test/MUTATION.md).
const defaultLoadTest = () => parseConfig({}).loadTest;
const rampThenHold = () =>
  scheduleOf(defaultLoadTest(), [
    { seconds: 30, rate: 1, rampTo: 10 },
    { seconds: 60, rate: 10 },
  ]);

describe("load schedules", () => {
  it("bound every default profile in time and iterations, smoke to seconds", () => {
    const config = defaultLoadTest();
    const smoke = scheduleOf(config, config.profiles.smoke.stages);
    expect(plannedSeconds(smoke)).toBe(5);
    expect(plannedIterations(smoke)).toBe(10);
    for (const profile of ["load", "spike", "soak"] as const) {
      const schedule = scheduleOf(config, config.profiles[profile].stages);
      expect(plannedSeconds(schedule)).toBeLessThanOrEqual(600);
      expect(plannedIterations(schedule)).toBeLessThan(5000);
    }
    expect(plannedIterations(rampThenHold())).toBe(165 + 600);
    expect(runnerDeadlineSeconds(rampThenHold())).toBe(90 + 10 + 60);
  });

  it("become Artillery phases, capped in virtual users, with the request timeout", () => {
    expect(artilleryOverrides(rampThenHold())).toEqual({
      config: {
        phases: [
          { duration: 30, arrivalRate: 1, rampTo: 10, maxVusers: 50 },
          { duration: 60, arrivalRate: 10, maxVusers: 50 },
        ],
        http: { timeout: 10 },
      },
    });
  });

  it("become one k6 ramping-arrival-rate scenario that jumps where a stage starts at a new rate", () => {
    const spike = scheduleOf(defaultLoadTest(), [
      { seconds: 10, rate: 2 },
      { seconds: 10, rate: 25 },
      { seconds: 20, rate: 2 },
    ]);
    expect(k6Scenario(spike)).toEqual({
      executor: "ramping-arrival-rate",
      startRate: 2,
      timeUnit: "1s",
      preAllocatedVUs: 10,
      maxVUs: 50,
      gracefulStop: "10s",
      stages: [
        { target: 2, duration: "10s" },
        { target: 25, duration: "0s" },
        { target: 25, duration: "10s" },
        { target: 2, duration: "0s" },
        { target: 2, duration: "20s" },
      ],
    });
    expect(k6Scenario(rampThenHold())).toMatchObject({
      startRate: 1,
      stages: [
        { target: 10, duration: "30s" },
        { target: 10, duration: "60s" },
      ],
    });
  });
});

describe("load-test config", () => {
  it("picks the runner per repository, Artillery's image pinned and overridable", () => {
    const parsed = parseConfig({
      configJson: JSON.stringify({
        loadTest: { tool: "artillery" },
        images: { artillery: "mirror.local/artillery:2.0.34" },
      }),
    });
    expect(parsed.loadTest.tool).toBe("artillery");
    expect(parsed.images.artillery).toBe("mirror.local/artillery:2.0.34");
    expect(parseConfig({}).images.artillery).toBe(
      "artilleryio/artillery:2.0.34",
    );
  });

  it("refuses an unknown runner, an unbounded profile and a stress ceiling below its start", () => {
    const invalid = (loadTest: unknown) => () =>
      parseConfig({ configJson: JSON.stringify({ loadTest }) });
    expect(invalid({ tool: "gatling" })).toThrow(
      /loadTest\.tool: Invalid option: expected one of "k6"\|"artillery"/,
    );
    expect(
      invalid({
        profiles: {
          soak: {
            stages: [
              { seconds: 3600, rate: 1 },
              { seconds: 3601, rate: 1 },
            ],
          },
        },
      }),
    ).toThrow(
      /loadTest\.profiles\.soak\.stages: expected stages lasting at most 7200 seconds/,
    );
    expect(invalid({ profiles: { smoke: { stages: [] } } })).toThrow(
      /loadTest\.profiles\.smoke\.stages/,
    );
    expect(
      invalid({ profiles: { stress: { startRate: 50, maxRate: 10 } } }),
    ).toThrow(
      /loadTest\.profiles\.stress\.maxRate: expected maxRate at or above startRate/,
    );
  });
});
