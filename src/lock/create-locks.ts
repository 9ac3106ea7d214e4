/**
 * Which hotfix locks this process uses: across replicas through Redis when `REDIS_URL` is set
 * (the same variable that makes Probot's write throttling cluster-wide), else in this process.
 */
import type { HotfixLocks } from "./hotfix-lock.js";
import { createInProcessLocks } from "./in-process-lock.js";
import { createRedisLocks, type RedisLockOptions } from "./redis-lock.js";

export function createLocks(
  env: { REDIS_URL?: string },
  options: Omit<RedisLockOptions, "url"> = {},
): HotfixLocks {
  const url = env.REDIS_URL?.trim();
  return url ? createRedisLocks({ ...options, url }) : createInProcessLocks();
}
