import { tail } from "../workspace.js";
import type { Instance } from "./instance.js";

/**
 * Runs `body` holding the instance's lock: a container name the daemon gives to one creator only, so two runs
 * against the same instance (two people, two workflows) cannot start the same color or rewrite the proxy at once.
 * A lock left by a killed run is reported with the `docker rm` that clears it.
 */
export async function whileLocked<T>(
  { docker, names, target, config }: Instance,
  what: string,
  body: () => Promise<T>,
): Promise<T> {
  const { lock, label } = names;
  const taken = await docker.attempt([
    "create",
    "--name",
    lock,
    "--label",
    label,
    "--label",
    `gantry.lock.holder=${what}, since ${new Date().toISOString()}`,
    config.images.proxy,
    "true",
  ]);
  if (taken.exitCode !== 0) {
    const holder = await docker.attempt([
      "inspect",
      "--format",
      '{{index .Config.Labels "gantry.lock.holder"}}',
      lock,
    ]);
    if (holder.exitCode !== 0)
      throw new Error(`could not take the lock ${lock} (${tail(taken)})`);
    throw new Error(
      `${target.instance} is busy: ${holder.stdout.trim()} holds ${lock}; nothing was changed. ` +
        `If that run is gone (killed mid-way), check the instance and remove the lock with: docker rm ${lock}`,
    );
  }
  try {
    return await body();
  } finally {
    await docker.attempt(["rm", "--force", lock]);
  }
}
