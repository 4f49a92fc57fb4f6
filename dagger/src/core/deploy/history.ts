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
  /** For a rollback: the image of the version it rolled away from, which a later rollback must not bring back. */
  rolledBackFrom?: string;
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

/**
 * The history with `record` appended and, beyond the limit, the oldest failed records dropped first: however many
 * deploys fail in a row, the live version and the ones a rollback returns to stay known.
 */
export function appendRecord(
  history: DeployRecord[],
  record: DeployRecord,
): DeployRecord[] {
  const records = [...history, record];
  while (records.length > HISTORY_LIMIT) {
    const failed = records.findIndex(
      (candidate) => candidate.outcome === "failed",
    );
    records.splice(failed === -1 ? 0 : failed, 1);
  }
  return records;
}

/** The version serving now: the last one that went live. */
export function liveRecord(history: DeployRecord[]): DeployRecord | undefined {
  return liveStack(history).at(-1);
}

/** The version to roll back to: the one that was live before the live one, never one a rollback went away from. */
export function previousRecord(
  history: DeployRecord[],
): DeployRecord | undefined {
  return liveStack(history).at(-2);
}

/**
 * The versions that went live, each on top of the one it replaced: a deploy puts its version on top, a rollback takes
 * the version it rolled away from (and anything above it) off again. A record of the image already on top changes
 * nothing, so a redeploy of the same image is not something to roll back to.
 */
function liveStack(history: DeployRecord[]): DeployRecord[] {
  const stack: DeployRecord[] = [];
  for (const record of history) {
    if (record.outcome !== "live") continue;
    if (record.action === "rollback") {
      const from = stack
        .map((entry) => entry.image)
        .lastIndexOf(record.rolledBackFrom ?? "");
      if (from !== -1) stack.splice(from);
    }
    if (stack.at(-1)?.image !== record.image) stack.push(record);
    else stack[stack.length - 1] = record;
  }
  return stack;
}
