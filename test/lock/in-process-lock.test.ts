import { describe, expect, it } from "@jest/globals";
import { setTimeout as sleep } from "node:timers/promises";
import { createInProcessLocks } from "../../src/lock/in-process-lock.js";
import { LockLostError, type Lease } from "../../src/lock/hotfix-lock.js";
import { currentLeases } from "../../src/lock/lease-context.js";

/** Several turns of the event loop, so that anything that could run in between does. */
const yieldTurns = async (turns = 5) => {
  for (let i = 0; i < turns; i++) await sleep(0);
};

/** Asserts that no two `enter`s of one key come without a `leave` in between. */
function expectNoOverlap(events: readonly string[]): void {
  const inside = new Set<string>();
  for (const event of events) {
    const [what, who] = event.split(" ") as [string, string];
    if (what === "enter") {
      expect({ event, inside: [...inside] }).toEqual({ event, inside: [] });
      inside.add(who);
    } else {
      inside.delete(who);
    }
  }
}

describe("in-process hotfix locks", () => {
  it("never lets two holders of one key overlap", async () => {
    const locks = createInProcessLocks();
    const events: string[] = [];
    await Promise.all(
      ["a", "b", "c", "d"].map((who) =>
        locks.hold("acme/shop#2", async () => {
          events.push(`enter ${who}`);
          await yieldTurns();
          events.push(`leave ${who}`);
        }),
      ),
    );
    expect(events).toHaveLength(8);
    expectNoOverlap(events);
  });

  it("runs different keys at the same time", async () => {
    const locks = createInProcessLocks();
    let inside = 0;
    let most = 0;
    await Promise.all(
      ["#1", "#2", "#3"].map((key) =>
        locks.hold(key, async () => {
          most = Math.max(most, ++inside);
          await yieldTurns();
          inside--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it("gives the key to waiters in the order they asked", async () => {
    const locks = createInProcessLocks();
    const order: number[] = [];
    const holds = [1, 2, 3, 4, 5].map((n) =>
      locks.hold("k", async () => {
        await sleep(5 - n); // later askers would finish their work first if they ran at once
        order.push(n);
      }),
    );
    await Promise.all(holds);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it("is re-entrant: a nested hold of the same key runs at once with the same lease", async () => {
    const locks = createInProcessLocks();
    const events: string[] = [];
    let waiterRan = false;
    let entered!: () => void;
    const outerEntered = new Promise<void>((resolve) => (entered = resolve));
    const outerHold = locks.hold("k", async (outer) => {
      entered();
      await yieldTurns(); // the other delivery (below) is now waiting for "k"
      const inner = await locks.hold("k", async (lease) => {
        events.push("inner");
        return lease;
      });
      expect(inner).toBe(outer);
      // the inner hold ended, yet the key is still ours: the waiter has not run
      await yieldTurns();
      expect(waiterRan).toBe(false);
      await expect(outer.assertHeld()).resolves.toBeUndefined();
      expect(currentLeases()).toEqual([outer]);
      events.push("outer end");
    });
    await outerEntered;
    // Another delivery, outside the holder's async context: it must wait.
    const waiter = locks.hold("k", async () => {
      waiterRan = true;
    });
    await Promise.all([outerHold, waiter]);
    expect(events).toEqual(["inner", "outer end"]);
    expect(waiterRan).toBe(true);
  });

  it("releases when the work throws, and passes the error on", async () => {
    const locks = createInProcessLocks();
    await expect(
      locks.hold("k", async () => {
        throw new Error("the merge failed");
      }),
    ).rejects.toThrow("the merge failed");
    await expect(locks.hold("k", async () => "next")).resolves.toBe("next");
    expect(locks.keysInUse()).toBe(0);
  });

  it("leaves no entry behind for keys nobody holds or waits for", async () => {
    const locks = createInProcessLocks();
    const holds = Array.from({ length: 20 }, (_, i) =>
      locks.hold(`acme/shop#${i % 5}`, async () => {
        await yieldTurns(1);
      }),
    );
    expect(locks.keysInUse()).toBe(5);
    await Promise.all(holds);
    expect(locks.keysInUse()).toBe(0);
  });

  it("publishes the lease while held, and it fails its check once the hold ended", async () => {
    const locks = createInProcessLocks();
    let kept: Lease | undefined;
    expect(currentLeases()).toEqual([]);
    await locks.hold("k", async (lease) => {
      kept = lease;
      expect(currentLeases()).toEqual([lease]);
      await expect(lease.assertHeld()).resolves.toBeUndefined();
    });
    expect(currentLeases()).toEqual([]);
    await expect(kept?.assertHeld()).rejects.toBeInstanceOf(LockLostError);
  });

  it("refuses to hold after close", async () => {
    const locks = createInProcessLocks();
    await locks.close();
    await expect(locks.hold("k", async () => 1)).rejects.toThrow(/closed/);
  });
});
