import { describe, expect, it } from "@jest/globals";
import { createWritePacer, type Clock } from "../../src/backport/pace-writes.js";

/** A clock that only moves when someone sleeps; records when each write was let through. */
function fakeClock() {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  return { clock, now: () => now };
}

async function writeTimes(
  count: number,
  options: { writesPerMinute: number; burst: number },
): Promise<number[]> {
  const { clock, now } = fakeClock();
  const pacer = createWritePacer({ ...options, clock });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await pacer.beforeWrite();
    times.push(now());
  }
  return times;
}

describe("createWritePacer", () => {
  it("lets a burst through, then spaces writes evenly", async () => {
    expect(await writeTimes(6, { writesPerMinute: 60, burst: 3 })).toEqual([
      0, 0, 0, 1000, 2000, 3000,
    ]);
  });

  it("keeps any 60 s window of a 200-write backport at or under rate + burst", async () => {
    const times = await writeTimes(200, { writesPerMinute: 80, burst: 10 });
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(80 + 10);
    }
    expect(times.at(-1)).toBe((200 - 10) * 750);
  });

  it("gives concurrent writers distinct slots", async () => {
    const sleeps: number[] = [];
    const pacer = createWritePacer({
      writesPerMinute: 60,
      burst: 1,
      clock: { now: () => 0, sleep: async (ms) => void sleeps.push(ms) },
    });
    await Promise.all([pacer.beforeWrite(), pacer.beforeWrite(), pacer.beforeWrite()]);
    expect(sleeps.sort((a, b) => a - b)).toEqual([1000, 2000]);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => createWritePacer({ writesPerMinute: 0 })).toThrow(/must be positive/);
  });
});
