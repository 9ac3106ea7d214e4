/**
 * The leases held by the current async context. `hold` publishes its lease here so that work
 * nested inside it sees what it holds: holding the same key again is re-entrant instead of a
 * deadlock (a use-case that holds a hotfix may call another that holds it too), and the write
 * guard can check every lease before a write without each call passing the lease along.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Lease } from "./hotfix-lock.js";

const storage = new AsyncLocalStorage<readonly Lease[]>();

/** Runs `fn` with `lease` added to the leases of the current context (for `fn` only). */
export function runWithLease<T>(lease: Lease, fn: () => T): T {
  return storage.run([...currentLeases(), lease], fn);
}

/** The leases held here, outermost first. */
export function currentLeases(): readonly Lease[] {
  return storage.getStore() ?? [];
}

/** The innermost lease of `key` held here, if any. */
export function heldKey(key: string): Lease | undefined {
  const leases = currentLeases();
  for (let i = leases.length - 1; i >= 0; i--) {
    if (leases[i]?.key === key) return leases[i];
  }
  return undefined;
}
