import { describe, expect, it } from "vitest";
import { throttleUntil } from "../../src/core/schedule.js";

/** A promise with its resolve and reject handed out, to settle it from the test. */
function settleable() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Lets every pending callback run, so the tasks that can start have started.
const flush = () => new Promise((done) => setTimeout(done, 0));

/** Hands `count` tasks to `schedule`; each records its start and finishes when the test says so. */
function tasks(schedule: ReturnType<typeof throttleUntil>, count: number) {
  const started: number[] = [];
  const finishes = Array.from({ length: count }, () => settleable());
  const results = finishes.map((finish, index) =>
    schedule(async () => {
      started.push(index);
      await finish.promise;
      return index;
    }),
  );
  return { started, finishes, results };
}

describe("throttleUntil", () => {
  it("runs at most `slots` tasks at once, in the order given, while not released", async () => {
    const schedule = throttleUntil(2, settleable().promise);
    const { started, finishes, results } = tasks(schedule, 4);
    await flush();
    expect(started).toEqual([0, 1]);
    finishes[1].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    finishes[0].resolve();
    finishes[2].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    finishes[3].resolve();
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3]);
  });

  it("starts every waiting task once released", async () => {
    const release = settleable();
    const schedule = throttleUntil(1, release.promise);
    const { started } = tasks(schedule, 3);
    await flush();
    expect(started).toEqual([0]);
    release.resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(tasks(schedule, 2).started).toEqual([]);
    await flush();
  });

  it("is released by a rejection too: a build that fails must not hold the checks back", async () => {
    const release = settleable();
    const schedule = throttleUntil(1, release.promise);
    const { started } = tasks(schedule, 3);
    release.reject(new Error("image build failed"));
    await flush();
    expect(started).toEqual([0, 1, 2]);
  });

  it("frees a slot when a task fails, and passes the failure on", async () => {
    const schedule = throttleUntil(1, settleable().promise);
    const failing = schedule(() => Promise.reject(new Error("lint crashed")));
    const { started, finishes, results } = tasks(schedule, 1);
    await expect(failing).rejects.toThrow("lint crashed");
    await flush();
    expect(started).toEqual([0]);
    finishes[0].resolve();
    await expect(results[0]).resolves.toBe(0);
  });

  it("runs everything at once when released from the start", async () => {
    const schedule = throttleUntil(1, Promise.resolve());
    await flush();
    const { started } = tasks(schedule, 3);
    await flush();
    expect(started).toEqual([0, 1, 2]);
  });
});
