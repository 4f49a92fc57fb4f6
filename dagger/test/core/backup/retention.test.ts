import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/core/config.js";
import {
  applyRetention,
  newestBackup,
  newestRestoreTested,
  type RetentionPolicy,
  type StoredBackup,
} from "../../../src/core/backup/retention.js";

const DAY = 86_400_000;
const START = Date.parse("2026-01-01T02:00:00.000Z");
const policy = (overrides: Partial<RetentionPolicy>): RetentionPolicy => ({
  ...configSchema.parse({}).backup.retention,
  keepDays: 0,
  ...overrides,
});

/**
 * Simulates `days` days of one backup a day at 02:00 UTC, retention applied after each as `backup` does, with a
 * restore test passing on the days `tested` picks; returns what is left and everything ever expired.
 */
function simulate(
  days: number,
  retention: RetentionPolicy,
  tested: (day: number) => boolean = () => false,
) {
  let stored: StoredBackup[] = [];
  const expired: string[] = [];
  for (let day = 0; day < days; day++) {
    const at = new Date(START + day * DAY);
    const id = `d${day}`;
    stored.push({
      id,
      createdAt: at.toISOString(),
      ...(tested(day) ? { restoreTestedAt: at.toISOString() } : {}),
    });
    const decision = applyRetention(stored, retention, at);
    expired.push(...decision.expire);
    stored = stored.filter((backup) => !decision.expire.includes(backup.id));
  }
  return { left: stored.map((backup) => backup.id), expired };
}

describe("backup retention over simulated days", () => {
  it("keeps exactly the backups of the last N days (the default 30)", () => {
    const { left, expired } = simulate(400, policy({ keepDays: 30 }));
    expect(left).toEqual(
      Array.from({ length: 30 }, (_, index) => `d${370 + index}`),
    );
    expect(expired).toHaveLength(370);
    expect(new Set(expired).size).toBe(370);
  });

  it("keeps exactly the newest N by count", () => {
    const { left } = simulate(300, policy({ keepLast: 5 }));
    expect(left).toEqual(["d295", "d296", "d297", "d298", "d299"]);
  });

  it("keeps 7 daily, 4 weekly (ISO weeks) and 12 monthly over 400 days: exactly the newest of each bucket", () => {
    const { left } = simulate(
      400,
      policy({ daily: 7, weekly: 4, monthly: 12 }),
    );
    const dates = left.map((id) =>
      new Date(START + Number(id.slice(1)) * DAY).toISOString().slice(0, 10),
    );
    // Day 399 is Thursday 2027-02-04: the last 7 days (01-29 … 02-04); the newest of this ISO week (02-04) and of
    // the 3 before it (the Sundays 01-31, 01-24, 01-17); the newest of this month and the 11 before (02-04, then
    // the last day of January 2027 back to March 2026). Nothing else.
    expect(dates).toEqual([
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
      "2026-07-31",
      "2026-08-31",
      "2026-09-30",
      "2026-10-31",
      "2026-11-30",
      "2026-12-31",
      "2027-01-17",
      "2027-01-24",
      "2027-01-29",
      "2027-01-30",
      "2027-01-31",
      "2027-02-01",
      "2027-02-02",
      "2027-02-03",
      "2027-02-04",
    ]);
  });

  it("never drops the newest backup that passed a restore test, however old, and drops it once a newer one passes", () => {
    // Restore tests pass only on day 10, then on day 250.
    const { left, expired } = simulate(
      300,
      policy({ keepLast: 3 }),
      (day) => day === 10 || day === 250,
    );
    expect(left).toEqual(["d250", "d297", "d298", "d299"]);
    expect(expired).toContain("d10");
    // d10 was kept until d250 passed (the day it was removed is the one after d250 was added).
    const { left: before } = simulate(
      250,
      policy({ keepLast: 3 }),
      (day) => day === 10,
    );
    expect(before).toEqual(["d10", "d247", "d248", "d249"]);
  });

  it("always keeps the newest backup, even with every rule at zero", () => {
    expect(simulate(20, policy({})).left).toEqual(["d19"]);
  });

  it("says why each backup is kept", () => {
    const now = new Date(START + 2 * DAY);
    const decision = applyRetention(
      [
        { id: "a", createdAt: new Date(START).toISOString() },
        { id: "b", createdAt: new Date(START + DAY).toISOString() },
      ],
      policy({ keepLast: 1, keepDays: 3 }),
      now,
    );
    expect(decision.keep.get("b")).toEqual([
      "last 1",
      "within 3 days",
      "newest",
    ]);
    expect(decision.keep.get("a")).toEqual(["within 3 days"]);
    expect(decision.expire).toEqual([]);
  });
});

// Dates chosen around ISO week-year boundaries: 2026-01-01 is a Thursday, so 2025-12-29 opens 2026-W01 and 2026
// has a week 53 running into 2027; 2020 (a leap year from a Wednesday) has one too.
describe("retention reasons at ISO week and year boundaries", () => {
  const at = (id: string, createdAt: string, restoreTestedAt?: string) => ({
    id,
    createdAt,
    ...(restoreTestedAt ? { restoreTestedAt } : {}),
  });
  const backups = [
    at("c", "2025-12-29T10:00:00.000Z"),
    at("a", "2027-01-01T10:00:00.000Z"),
    at("e", "2021-01-03T10:00:00.000Z"),
    at("d", "2025-12-28T10:00:00.000Z", "2026-01-02T00:00:00.000Z"),
    at("b", "2026-01-04T10:00:00.000Z"),
    at("f", "2020-12-28T10:00:00.000Z"),
  ];
  const now = new Date("2027-01-02T00:00:00.000Z");

  it("keeps the newest backup of each ISO week, naming the week", () => {
    const decision = applyRetention(backups, policy({ weekly: 10 }), now);
    expect(Object.fromEntries(decision.keep)).toEqual({
      a: ["weekly 2026-W53", "newest"],
      b: ["weekly 2026-W01"],
      d: ["weekly 2025-W52", "newest restore-tested"],
      e: ["weekly 2020-W53"],
    });
    expect(decision.expire).toEqual(["c", "f"]);
  });

  it("names daily and monthly buckets by UTC day and month", () => {
    const decision = applyRetention(
      backups,
      policy({ daily: 2, monthly: 2 }),
      now,
    );
    expect(Object.fromEntries(decision.keep)).toEqual({
      a: ["daily 2027-01-01", "monthly 2027-01", "newest"],
      b: ["daily 2026-01-04", "monthly 2026-01"],
      d: ["newest restore-tested"],
    });
  });

  it("keeps nothing of an empty target", () => {
    expect(applyRetention([], policy({ keepLast: 3 }), now)).toEqual({
      keep: new Map(),
      expire: [],
    });
  });

  it("finds the newest backup, and the newest restore-tested one, in any order", () => {
    expect(newestBackup(backups)?.id).toBe("a");
    expect(newestRestoreTested(backups)?.id).toBe("d");
    expect(
      newestRestoreTested([
        at("old", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"),
        at("new", "2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z"),
      ])?.id,
    ).toBe("new");
    expect(newestBackup([])).toBeUndefined();
  });
});
