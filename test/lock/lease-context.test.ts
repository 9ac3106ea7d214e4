import { describe, expect, it } from "@jest/globals";
import type { Lease } from "../../src/lock/hotfix-lock.js";
import { currentLeases, heldKey, runWithLease } from "../../src/lock/lease-context.js";

const lease = (key: string): Lease => ({ key, assertHeld: async () => {} });

describe("lease context", () => {
  it("holds the leases of the current async context only, innermost last", async () => {
    const a = lease("o/r#1");
    const b = lease("o/r#2");
    const seen = await runWithLease(a, async () => {
      await Promise.resolve();
      return runWithLease(b, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { leases: currentLeases(), one: heldKey("o/r#1"), two: heldKey("o/r#2") };
      });
    });
    expect(seen).toEqual({ leases: [a, b], one: a, two: b });
    expect(currentLeases()).toEqual([]);
    expect(heldKey("o/r#1")).toBeUndefined();
  });

  it("does not leak a lease into concurrent work started outside it", async () => {
    const a = lease("o/r#1");
    let outside: readonly Lease[] = [a];
    await Promise.all([
      runWithLease(a, () => new Promise((resolve) => setTimeout(resolve, 5))),
      new Promise((resolve) => setTimeout(resolve, 1)).then(() => (outside = currentLeases())),
    ]);
    expect(outside).toEqual([]);
  });
});
