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
    expect(parseHistory(" \n")).toEqual([]);
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

  it("rolls back further on a second rollback, never to the version it rolled away from", () => {
    const rollback = (to: string, from: string): DeployRecord => ({
      ...record(to),
      action: "rollback",
      rolledBackFrom: record(from).image,
    });
    const history = [record("1"), record("2"), record("3"), rollback("2", "3")];
    expect(liveRecord(history)?.version).toBe("2");
    expect(previousRecord(history)?.version).toBe("1");
    const twice = [...history, rollback("1", "2")];
    expect(liveRecord(twice)?.version).toBe("1");
    expect(previousRecord(twice)).toBeUndefined();
    const deployedAgain = [...twice, record("4")];
    expect(previousRecord(deployedAgain)?.version).toBe("1");
  });

  it("keeps the stack when a rollback's origin is no longer in the history", () => {
    // Hand-written: a rollback away from an image the history does not hold (a history file cut or edited by hand).
    const history = [
      record("1"),
      record("2"),
      {
        ...record("1"),
        action: "rollback" as const,
        rolledBackFrom: record("3").image,
      },
    ];
    expect(liveRecord(history)?.version).toBe("1");
    expect(previousRecord(history)?.version).toBe("2");
  });

  it("takes nothing off for a deploy, even one that carries a rolledBackFrom", () => {
    // Hand-written: only a rollback takes versions off; a stray field on a deploy record (the history file on the
    // target is not validated) changes nothing.
    const history = [
      record("1"),
      record("2"),
      { ...record("3"), rolledBackFrom: record("2").image },
    ];
    expect(liveRecord(history)?.version).toBe("3");
    expect(previousRecord(history)?.version).toBe("2");
  });

  it("takes the newest record of the live image, so a redeploy's color counts and is nothing to roll back to", () => {
    const history = [
      record("1"),
      record("2"),
      { ...record("2"), color: "green" as const },
    ];
    expect(liveRecord(history)?.color).toBe("green");
    expect(previousRecord(history)?.version).toBe("1");
  });

  it("keeps the newest records", () => {
    let history: DeployRecord[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      history = appendRecord(history, record(String(i)));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0].version).toBe("5");
  });

  it("drops failed records first, so failed deploys never push the live version out", () => {
    let history = [record("1"), record("2")];
    for (let i = 0; i < HISTORY_LIMIT + 10; i++)
      history = appendRecord(history, record(`f${i}`, "failed"));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(liveRecord(history)?.version).toBe("2");
    expect(previousRecord(history)?.version).toBe("1");
    expect(history.at(-1)?.version).toBe(`f${HISTORY_LIMIT + 9}`);
  });
});
