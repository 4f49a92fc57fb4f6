import type { Color } from "../../core/deploy/environment.js";
import {
  appendRecord,
  liveRecord,
  parseHistory,
  type DeployRecord,
} from "../../core/deploy/history.js";
import type { Instance } from "./instance.js";

const HISTORY_FILE = "/history/deploys.json";

/** The deploy history kept in a volume on the target, so every machine that deploys sees the same one. */
export class DeployHistory {
  constructor(private readonly instance: Instance) {}

  /** The records, oldest first. */
  async read(): Promise<DeployRecord[]> {
    const text = await this.instance.docker.run(
      [...this.inVolume(), "-c", `cat ${HISTORY_FILE} 2>/dev/null || true`],
      "reading the deploy history",
    );
    return parseHistory(text);
  }

  /** Appends the outcome of a rollout to `history` (as read before it) and writes it back. */
  async append(
    history: DeployRecord[],
    rollout: Pick<DeployRecord, "action" | "version" | "image">,
    color: Color,
    outcome: DeployRecord["outcome"],
    reason?: string,
  ): Promise<void> {
    const rolledBackFrom =
      rollout.action === "rollback" ? liveRecord(history)?.image : undefined;
    const record: DeployRecord = {
      action: rollout.action,
      version: rollout.version,
      image: rollout.image,
      color,
      time: new Date().toISOString(),
      outcome,
      ...(reason ? { reason } : {}),
      ...(rolledBackFrom ? { rolledBackFrom } : {}),
    };
    await this.instance.docker.run(
      [...this.inVolume("--interactive"), "-c", `cat > ${HISTORY_FILE}`],
      "writing the deploy history",
      JSON.stringify(appendRecord(history, record), null, 2),
    );
  }

  /** A one-off shell with the history volume mounted, in the proxy image (a small Debian the target pulls anyway). */
  private inVolume(...flags: string[]): string[] {
    const { names, config } = this.instance;
    return [
      "run",
      "--rm",
      ...flags,
      "--volume",
      `${names.historyVolume}:/history`,
      "--entrypoint",
      "sh",
      config.images.proxy,
    ];
  }
}
