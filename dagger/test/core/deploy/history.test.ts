import { describe, expect, it } from "vitest";
import {
  appendRecord,
  HISTORY_LIMIT,
  liveRecord,
  parseHistory,
  previousRecord,
  type DeployRecord,
} from "../../../src/core/deploy/history.js";

function record(
  version: string,
  outcome: DeployRecord["outcome"] = "live",
): DeployRecord {
  return {
    action: "deploy",
    version,
    image: `registry/app:${version}@sha256:${version}`,
    color: "blue",
    time: "2026-01-01T00:00:00.000Z",
    outcome,
  };
}

describe("deploy history", () => {
  it("reads an absent file as an empty history and refuses anything but an array", () => {
    expect(parseHistory("")).toEqual([]);
    expect(parseHistory(JSON.stringify([record("1")]))).toEqual([record("1")]);
    expect(() => parseHistory("{}")).toThrow("not a JSON array");
  });

  it("finds the live version and the one before it, skipping failed deploys", () => {
    const history = [record("1"), record("2"), record("3", "failed")];
    expect(liveRecord(history)?.version).toBe("2");
    expect(previousRecord(history)?.version).toBe("1");
    expect(previousRecord([record("1")])).toBeUndefined();
    expect(previousRecord([])).toBeUndefined();
  });

  it("goes back to the version replaced by a rollback when rolled back again", () => {
    const history = [
      record("1"),
      record("2"),
      { ...record("1"), action: "rollback" as const },
    ];
    expect(liveRecord(history)?.version).toBe("1");
    expect(previousRecord(history)?.version).toBe("2");
  });

  it("keeps the newest records", () => {
    let history: DeployRecord[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      history = appendRecord(history, record(String(i)));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0].version).toBe("5");
  });
});
