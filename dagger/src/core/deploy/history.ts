import type { Color } from "./environment.js";

/** One deploy or rollback, as kept in the history volume on the target. */
export interface DeployRecord {
  action: "deploy" | "rollback";
  version: string;
  image: string;
  color: Color;
  /** ISO 8601. */
  time: string;
  outcome: "live" | "failed";
  reason?: string;
}

/** How many records the target keeps. */
export const HISTORY_LIMIT = 50;

/** Parses the history file; an absent (empty) file is an empty history. */
export function parseHistory(text: string): DeployRecord[] {
  if (text.trim() === "") return [];
  const records: unknown = JSON.parse(text);
  if (!Array.isArray(records))
    throw new Error("the deploy history on the target is not a JSON array");
  return records as DeployRecord[];
}

/** The history with `record` appended, oldest records dropped beyond the limit. */
export function appendRecord(
  history: DeployRecord[],
  record: DeployRecord,
): DeployRecord[] {
  return [...history, record].slice(-HISTORY_LIMIT);
}

/** The version serving now: the last one that went live. */
export function liveRecord(history: DeployRecord[]): DeployRecord | undefined {
  return lastMatching(history, (record) => record.outcome === "live");
}

/** The version to roll back to: the last one that went live before the live one, with another image. */
export function previousRecord(
  history: DeployRecord[],
): DeployRecord | undefined {
  const live = liveRecord(history);
  if (!live) return undefined;
  const before = history.slice(0, history.lastIndexOf(live));
  return lastMatching(
    before,
    (record) => record.outcome === "live" && record.image !== live.image,
  );
}

function lastMatching(
  history: DeployRecord[],
  matches: (record: DeployRecord) => boolean,
): DeployRecord | undefined {
  return [...history].reverse().find(matches);
}
