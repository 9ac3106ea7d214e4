/**
 * Hotfix locks across replicas, through Redis (`REDIS_URL`). A redis-semaphore mutex per key:
 * it expires `lockTimeoutMs` after its holder stops refreshing it, so a replica that dies
 * mid-release frees the hotfix without anyone's help, and it is refreshed while the work runs.
 * Waiters poll for it (after queueing behind this process's own waiters, first come first).
 *
 * Expiry makes a second danger: a holder that stalls past the expiry (a long GC pause, a
 * suspended container) wakes up believing it still holds the lock while another replica has
 * taken it. So every holder draws a fencing token (`INCR <prefix>:fence:<key>`) after
 * acquiring, and `assertHeld`, run before every write, checks that the mutex is still ours and
 * nobody drew a later token. (A check before the write, not a token GitHub could check: it
 * narrows the window to one request, it does not close it.)
 *
 * Redis that cannot be reached fails `hold` within seconds, never runs work unlocked, and no
 * message carries the URL's credentials.
 */
import { Redis } from "ioredis";
import { Mutex, TimeoutError } from "redis-semaphore";
import { createKeyedMutex } from "./in-process-lock.js";
import { LockLostError, LockTimeoutError, type HotfixLocks, type Lease } from "./hotfix-lock.js";
import { heldKey, runWithLease } from "./lease-context.js";
import { redisSecrets } from "./redis-url.js";

export interface RedisLockOptions {
  url: string;
  /** A dead holder's lock frees itself after this long; refreshed every third of it. */
  lockTimeoutMs?: number;
  /** `hold` gives up with `LockTimeoutError` after waiting this long. */
  acquireTimeoutMs?: number;
  /** How often a waiter asks Redis again. */
  retryIntervalMs?: number;
  prefix?: string;
  /** Redis trouble that fails no `hold` by itself (connection errors, a refresh that failed). */
  onError?: (error: Error) => void;
}

/** The longest a single Redis command, or reaching Redis, may take before `hold` fails. */
const COMMAND_TIMEOUT_MS = 5_000;
/** Fence counters outlive any hold by far, and still do not pile up forever in Redis. */
const FENCE_TTL_MS = 7 * 24 * 3600 * 1000;

export function createRedisLocks(options: RedisLockOptions): HotfixLocks {
  const {
    lockTimeoutMs = 30_000,
    acquireTimeoutMs = 600_000,
    retryIntervalMs = 100,
    prefix = "hotfix-bot",
    onError = () => {},
  } = options;
  const { redacted, scrub } = redisSecrets(options.url);
  const where = `REDIS_URL=${redacted}`;

  let lastConnectionError: Error | undefined;
  let lastReported = "";
  const report = (error: unknown) => {
    try {
      onError(new Error(scrub(messageOf(error))));
    } catch {
      // Reported from timers too: a failing reporter must not become an unhandled rejection.
    }
  };

  // Our own client: Probot's throttling client may be configured differently, and a command
  // queued while Redis is away must fail in seconds here, not wait for the reconnection.
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // How long `close` waits for a socket to end; the default 2 s also applies to a socket
    // that is already gone (Redis down), keeping the process alive for nothing.
    disconnectTimeout: 200,
  });
  client.on("error", (error: Error) => {
    lastConnectionError = error;
    if (error.message === lastReported) return; // once per outage, not once per reconnection
    lastReported = error.message;
    report(new Error(`Redis (${where}): ${error.message}`));
  });
  client.on("ready", () => {
    lastConnectionError = undefined;
    lastReported = "";
  });

  /** A failure of Redis itself, named so that an operator knows which setting to look at. */
  const redisFailure = (doing: string, error: unknown) => {
    const cause = messageOf(error);
    const connection =
      lastConnectionError && lastConnectionError.message !== cause
        ? ` (last connection error: ${lastConnectionError.message})`
        : "";
    return new Error(scrub(`Cannot ${doing}: Redis at ${where} failed: ${cause}${connection}`));
  };

  const local = createKeyedMutex();
  const active = new WeakSet<Lease>();
  let closed = false;

  async function acquire(key: string, timeoutMs: number): Promise<Held> {
    let lost: Error | undefined;
    const mutex = new RefreshingMutex(client, `${prefix}:lock:${key}`, {
      lockTimeout: lockTimeoutMs,
      acquireTimeout: Math.max(0, timeoutMs),
      retryInterval: retryIntervalMs,
      refreshInterval: Math.max(1, Math.floor(lockTimeoutMs / 3)),
      onLockLost: (error) => {
        lost = error;
        report(new Error(`Lost the lock of ${key}: ${error.message}`));
      },
      onRefreshError: (error) =>
        report(redisFailure(`refresh the lock of ${key} (will retry)`, error)),
    });
    try {
      await mutex.acquire();
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new LockTimeoutError(`${key} was still held elsewhere after ${acquireTimeoutMs} ms`);
      }
      throw redisFailure(`hold ${key}`, error);
    }
    const fenceKey = `${prefix}:fence:${key}`;
    let token: string;
    try {
      const replies = await client.multi().incr(fenceKey).pexpire(fenceKey, FENCE_TTL_MS).exec();
      const [error, value] = replies?.[0] ?? [new Error("the transaction was discarded")];
      if (error) throw error;
      token = String(value);
    } catch (error) {
      await mutex.release().catch(report);
      throw redisFailure(`hold ${key}`, error);
    }

    const lease: Lease = {
      key,
      assertHeld: async () => {
        if (!active.has(lease)) {
          throw new LockLostError(`${key} is no longer held: its hold() had ended`);
        }
        if (lost) throw new LockLostError(`Lost the lock of ${key}: ${lost.message}`);
        let values: (string | null)[];
        try {
          values = await client.mget(mutex.redisKey, fenceKey);
        } catch (error) {
          throw new LockLostError(redisFailure(`confirm that ${key} is still held`, error).message);
        }
        if (values[0] !== mutex.identifier) {
          lost = new Error("it expired or another holder took it over");
        } else if (values[1] !== token) {
          lost = new Error(
            `another holder acquired it after us (fence ${values[1]}, ours ${token})`,
          );
        }
        if (lost) throw new LockLostError(`Lost the lock of ${key}: ${lost.message}`);
      },
    };
    return { lease, release: () => mutex.release() };
  }

  return {
    kind: "redis",
    async hold(key, work) {
      const outer = heldKey(key);
      if (outer && active.has(outer)) return work(outer);
      if (closed) throw new Error(`Cannot hold ${key}: the hotfix locks were closed`);
      const deadline = Date.now() + acquireTimeoutMs;
      const releaseLocal = await local.acquire(key, acquireTimeoutMs);
      try {
        const { lease, release } = await acquire(key, deadline - Date.now());
        active.add(lease);
        try {
          return await runWithLease(lease, () => work(lease));
        } finally {
          active.delete(lease);
          // The work is done either way; an unreleased lock only expires later.
          await release().catch((error: unknown) =>
            report(redisFailure(`release ${key} (it will expire)`, error)),
          );
        }
      } finally {
        releaseLocal();
      }
    },
    async close() {
      closed = true;
      if (client.status === "ready") {
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
    },
  };
}

interface Held {
  lease: Lease;
  release(): Promise<void>;
}

type MutexOptions = NonNullable<ConstructorParameters<typeof Mutex>[2]>;

/**
 * redis-semaphore refreshes from a timer and lets a failed refresh (Redis away for a moment)
 * reject unhandled, which ends a Node process. Here a failed refresh is reported and retried
 * at the next tick, and counts as lost only once the lock has certainly expired. (This extends
 * its protected `_acquire`/`_refresh`/`_key`: package.json pins redis-semaphore exactly, and the
 * tests in test/lock/redis-lock.test.ts fail if an upgrade changes them.)
 */
class RefreshingMutex extends Mutex {
  private refreshedAt = Date.now();
  private readonly lockTimeoutMs: number;
  private readonly onRefreshError: (error: unknown) => void;

  constructor(
    client: Redis,
    key: string,
    options: MutexOptions & { lockTimeout: number; onRefreshError: (error: unknown) => void },
  ) {
    const { onRefreshError, ...mutexOptions } = options;
    super(client, key, mutexOptions);
    this.lockTimeoutMs = options.lockTimeout;
    this.onRefreshError = onRefreshError;
  }

  /** The Redis key holding the holder's identifier. */
  get redisKey(): string {
    return this._key;
  }

  protected override async _acquire(abortSignal?: AbortSignal): Promise<boolean> {
    const acquired = await super._acquire(abortSignal);
    // The last attempt started at most a moment ago; close enough for a refresh deadline.
    this.refreshedAt = Date.now();
    return acquired;
  }

  protected override async _refresh(): Promise<boolean> {
    const startedAt = Date.now();
    try {
      const refreshed = await super._refresh();
      if (refreshed) this.refreshedAt = startedAt;
      return refreshed;
    } catch (error) {
      this.onRefreshError(error);
      return Date.now() - this.refreshedAt < this.lockTimeoutMs;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
