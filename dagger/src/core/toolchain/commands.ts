import type { CheckPlan } from "./checks.js";
import type { PackageManager } from "./packageManager.js";

/** A plan that runs something. */
export type RunnablePlan = Exclude<CheckPlan, { kind: "none" }>;

/** The command a check runs, and the same command as a developer would type it (without Gantry's report flags). */
export interface CheckCommand {
  args: string[];
  env: Record<string, string>;
  display: string;
}

/** The command of `plan` with `reportFlags` added after the repository's own arguments. */
export function checkCommand(
  packageManager: PackageManager,
  plan: RunnablePlan,
  reportFlags: string[] = [],
): CheckCommand {
  if (plan.kind === "script") {
    const args = packageManager.run(plan.script);
    return { args, env: {}, display: shellJoin(args) };
  }
  // node is on PATH, not a package binary.
  const command = (extra: string[]) =>
    plan.tool === "node"
      ? ["node", ...plan.args, ...extra]
      : packageManager.exec(plan.tool, [...plan.args, ...extra]);
  const envPrefix = Object.entries(plan.env).map(
    ([name, value]) => `${name}=${shellQuote(value)}`,
  );
  const display = [...envPrefix, shellJoin(command([]))].join(" ");
  // npm, pnpm and yarn classic run a script's pre-hook first; yarn berry runs none.
  const before =
    plan.before && packageManager.flavor !== "yarn-berry"
      ? packageManager.run(plan.before)
      : undefined;
  if (!before) return { args: command(reportFlags), env: plan.env, display };
  return {
    args: [
      "sh",
      "-c",
      `${shellJoin(before)} && exec "$@"`,
      "sh",
      ...command(reportFlags),
    ],
    env: plan.env,
    display: `${shellJoin(before)} && ${display}`,
  };
}

/** `args` quoted for a POSIX shell where needed. */
export function shellJoin(args: string[]): string {
  return args.map(shellQuote).join(" ");
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}
