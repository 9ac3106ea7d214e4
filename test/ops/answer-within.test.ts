import { describe, expect, it } from "@jest/globals";
import { answerWithin, drain, workInFlight } from "../../src/events/answer-within.js";

const after = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number) =>
  new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error("boom")), ms));

describe("answering within a budget", () => {
  it("waits for work that ends in time, and does not call it late", async () => {
    let late = false;
    await answerWithin(after(10, "done"), 500, () => (late = true));
    expect(late).toBe(false);
  });

  it("rejects when the work fails in time, so GitHub gets a 500", async () => {
    await expect(answerWithin(failAfter(10), 500, () => {})).rejects.toThrow("boom");
  });

  it("returns at the budget while the work goes on, and drain waits for it", async () => {
    let late = false;
    let ended = false;
    const work = after(300, null).then(() => (ended = true));
    const started = performance.now();
    await answerWithin(work, 50, () => (late = true));
    expect(performance.now() - started).toBeLessThan(250);
    expect(late).toBe(true);
    expect(workInFlight()).toBe(1);
    expect(await drain(2_000)).toBe(0);
    expect(ended).toBe(true);
    expect(workInFlight()).toBe(0);
  });

  it("does not turn a failure after the answer into an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await answerWithin(failAfter(60), 10, () => {});
      await drain(1_000);
      await after(20, null);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("drain gives up after its timeout and says how many are left", async () => {
    await answerWithin(after(400, null), 0, () => {});
    expect(await drain(50)).toBe(1);
    await drain(1_000);
  });

  it("Infinity waits for the work however long (Lambda, Actions)", async () => {
    let late = false;
    const started = performance.now();
    await answerWithin(after(120, null), Infinity, () => (late = true));
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(late).toBe(false);
  });
});
