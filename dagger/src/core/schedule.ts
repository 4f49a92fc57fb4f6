/** Runs a task when the schedule lets it start; resolves or rejects with the task. */
export type Scheduled = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * At most `slots` tasks at once until `released` settles (either way), then every waiting task and any later one
 * starts at once. Tasks start in the order they were handed in.
 */
export function throttleUntil(
  slots: number,
  released: PromiseLike<unknown>,
): Scheduled {
  let open = false;
  let running = 0;
  const waiting: (() => void)[] = [];
  const startWhatCan = () => {
    while (waiting.length > 0 && (open || running < slots)) {
      running++;
      waiting.shift()!();
    }
  };
  const release = () => {
    open = true;
    startWhatCan();
  };
  released.then(release, release);
  return async (task) => {
    await new Promise<void>((start) => {
      waiting.push(start);
      startWhatCan();
    });
    try {
      return await task();
    } finally {
      running--;
      startWhatCan();
    }
  };
}
