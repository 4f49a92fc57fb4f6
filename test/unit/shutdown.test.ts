import { describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { buildApp } from "../../src/app.js";
import { createShutdown, type RunningServer } from "../../src/server.js";
import { fakeDb } from "./fake-db.js";

function serverWhoseCloseDoes(close: () => Promise<void>): RunningServer {
  const app = buildApp({
    db: fakeDb(),
    buildInfo: { version: "0", gitSha: "x" },
    logLevel: "silent",
  });
  return { app, pool: {} as pg.Pool, url: "http://127.0.0.1:0", close };
}

describe("createShutdown", () => {
  it("drains, then exits 0, and ignores a repeated signal", async () => {
    const close = vi.fn(async () => undefined);
    const exit = vi.fn();
    const shutdown = createShutdown(serverWhoseCloseDoes(close), 1_000, exit);

    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);

    expect(close).toHaveBeenCalledTimes(1);
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it("exits 1 when closing fails", async () => {
    const exit = vi.fn();
    const shutdown = createShutdown(
      serverWhoseCloseDoes(async () => {
        throw new Error("pool already ended");
      }),
      1_000,
      exit,
    );
    await shutdown("SIGTERM");
    expect(exit.mock.calls).toEqual([[1]]);
  });

  it("exits 1 when draining outlasts the timeout", async () => {
    const exit = vi.fn();
    const shutdown = createShutdown(
      serverWhoseCloseDoes(() => new Promise(() => {})),
      20,
      exit,
    );
    void shutdown("SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
  });
});
