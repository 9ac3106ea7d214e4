/**
 * Hotfix locks within this process: right for one replica, and the default. A keyed FIFO
 * mutex — deliveries for one hotfix take turns in the order they asked, deliveries for
 * different hotfixes run side by side. Nothing expires: a holder lives as long as the process,
 * and if the process dies its locks die with it. A key nobody holds or waits for leaves the map,
 * so a long-running bot does not keep one entry per hotfix it ever saw.
 */
import { LockLostError, LockTimeoutError, type HotfixLocks, type Lease } from "./hotfix-lock.js";
import { heldKey, runWithLease } from "./lease-context.js";

/** Gives up one turn; calling it again does nothing. */
export type Release = () => void;

/** The FIFO keyed mutex underneath; the Redis locks queue their own waiters with it too. */
export interface KeyedMutex {
  /** Waits for `key` behind its earlier askers; after `timeoutMs` gives up with `LockTimeoutError`. */
  acquire(key: string, timeoutMs?: number): Promise<Release>;
  /** Keys held or waited for right now. */
  keysInUse(): number;
}

export function createKeyedMutex(): KeyedMutex {
  // A key is present while someone holds it; its array holds the waiters, first come first.
  const queues = new Map<string, Array<() => void>>();

  const releaseOf = (key: string): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queues.get(key)?.shift();
      if (next) next();
      else queues.delete(key);
    };
  };

  return {
    acquire(key, timeoutMs = Infinity) {
      const waiters = queues.get(key);
      if (!waiters) {
        queues.set(key, []);
        return Promise.resolve(releaseOf(key));
      }
      return new Promise<Release>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const grant = () => {
          clearTimeout(timer);
          resolve(releaseOf(key));
        };
        waiters.push(grant);
        if (Number.isFinite(timeoutMs)) {
          timer = setTimeout(() => {
            const at = waiters.indexOf(grant);
            if (at >= 0) waiters.splice(at, 1);
            reject(
              new LockTimeoutError(
                `${key} was still held by another delivery after ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
        }
      });
    },
    keysInUse: () => queues.size,
  };
}

export interface InProcessLocks extends HotfixLocks {
  readonly kind: "in-process";
  /** Keys held or waited for right now (0 when idle: nothing leaks). */
  keysInUse(): number;
}

export function createInProcessLocks(): InProcessLocks {
  const mutex = createKeyedMutex();
  // Leases of this instance whose `hold` is still running: only those make a nested `hold`
  // re-entrant (a lease that outlived its `hold` in a detached task must not skip the queue).
  const active = new WeakSet<Lease>();
  let closed = false;

  return {
    kind: "in-process",
    async hold(key, work) {
      const outer = heldKey(key);
      if (outer && active.has(outer)) return work(outer);
      if (closed) throw new Error(`Cannot hold ${key}: the hotfix locks were closed`);
      const release = await mutex.acquire(key);
      const lease: Lease = {
        key,
        assertHeld: async () => {
          if (!active.has(lease)) {
            throw new LockLostError(`${key} is no longer held: its hold() had ended`);
          }
        },
      };
      active.add(lease);
      try {
        return await runWithLease(lease, () => work(lease));
      } finally {
        active.delete(lease);
        release();
      }
    },
    keysInUse: () => mutex.keysInUse(),
    async close() {
      closed = true;
    },
  };
}
