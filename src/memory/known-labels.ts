/**
 * What webhook payloads said about PRs' labels, remembered between deliveries. A check run's
 * payload names its PRs (number, head branch, base) but not their labels, and a PR whose head
 * branch is not a hotfix branch is a hotfix only by label: without this memory every finished
 * CI job of every ordinary PR would cost a read of its PR. The `pull_request`,
 * `pull_request_review` and `issue_comment` payloads carry the labels, with the PR's
 * `updated_at`; an older payload never overwrites what a newer one said. Two payloads of the
 * same second (`updated_at` has no finer grain, and deliveries may arrive out of order) are
 * both kept: the PR then counts as having the labels of either, so a label added and removed
 * within a second makes the PR be read rather than skipped.
 *
 * Only ever used to *skip* work for a PR that is not a hotfix, and the memory is complete only
 * if every delivery is seen: so it lives in the process for one replica, and in Redis when the
 * replicas share `REDIS_URL` (one replica's memory would miss a label added through another).
 * A PR nothing is known about is read from GitHub (conditionally), and that read is learnt too.
 */
import { LRUCache } from "lru-cache";
import { Redis } from "ioredis";
import { redisSecrets } from "../lock/redis-url.js";

export interface LabelsSeen {
  labels: string[];
  /** The PR's `updated_at` in the payload that said so (ISO 8601). */
  at: string;
}

export interface KnownLabels {
  readonly kind: "in-process" | "redis" | "off";
  /** What the newest payload said a PR's labels were, or null when none told. */
  get(key: string): Promise<LabelsSeen | null>;
  /** Records what a payload says; an older payload does not overwrite a newer one. */
  learn(key: string, seen: LabelsSeen): Promise<void>;
  close(): Promise<void>;
}

/** The key of one PR: installation, repository and number. */
export const pullKey = (installation: string, repo: { owner: string; repo: string }, pr: number) =>
  `${installation}/${repo.owner}/${repo.repo}#${pr}`.toLowerCase();

const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/** In the process: one replica sees every delivery. Bounded; the oldest-used PRs go first. */
export function createInProcessKnownLabels(max = 50_000): KnownLabels {
  const memory = new LRUCache<string, LabelsSeen>({ max });
  return {
    kind: "in-process",
    async get(key) {
      return memory.get(key) ?? null;
    },
    async learn(key, seen) {
      const known = memory.get(key);
      if (known && time(known.at) > time(seen.at)) return;
      const labels =
        known && time(known.at) === time(seen.at)
          ? [...new Set([...known.labels, ...seen.labels])]
          : [...seen.labels];
      memory.set(key, { labels, at: seen.at });
    },
    async close() {
      memory.clear();
    },
  };
}

/**
 * Newer wins, atomically: a delayed old payload cannot undo a label change. The same second
 * keeps the labels of both (cjson encodes an empty table as an object, hence the '[]').
 */
const LEARN = `
local at = redis.call('HGET', KEYS[1], 'at')
local new = tonumber(ARGV[1])
if (not at) or tonumber(at) < new then
  redis.call('HSET', KEYS[1], 'at', ARGV[1], 'iso', ARGV[2], 'labels', ARGV[3])
elseif tonumber(at) == new then
  local merged, seen = {}, {}
  local lists = { cjson.decode(redis.call('HGET', KEYS[1], 'labels') or '[]'), cjson.decode(ARGV[3]) }
  for _, list in ipairs(lists) do
    for _, label in ipairs(list) do
      if not seen[label] then
        seen[label] = true
        table.insert(merged, label)
      end
    end
  end
  local encoded = '[]'
  if #merged > 0 then encoded = cjson.encode(merged) end
  redis.call('HSET', KEYS[1], 'labels', encoded)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** A PR's labels outlive no PR's life by much: two weeks without an event and it is forgotten. */
const TTL_MS = 14 * 24 * 3600 * 1000;

/**
 * In Redis, shared by the replicas. A Redis that does not answer makes `get` answer "unknown"
 * (the PR is then read from GitHub: correct, dearer) and `learn` a no-op, reported to `onError`.
 */
export function createRedisKnownLabels(
  url: string,
  options: { prefix?: string; onError?: (error: Error) => void } = {},
): KnownLabels {
  const prefix = options.prefix ?? "hotfix-bot";
  const { redacted, scrub } = redisSecrets(url);
  const report = (error: unknown) =>
    options.onError?.(
      new Error(scrub(`known labels: Redis at REDIS_URL=${redacted}: ${(error as Error).message}`)),
    );
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on("error", () => {}); // each failed command reports itself
  client.defineCommand("learnLabels", { numberOfKeys: 1, lua: LEARN });
  const learnLabels = (...args: string[]) =>
    (client as unknown as { learnLabels(...a: string[]): Promise<number> }).learnLabels(...args);
  const keyOf = (key: string) => `${prefix}:labels:${key}`;
  return {
    kind: "redis",
    async get(key) {
      try {
        const found = await client.hgetall(keyOf(key));
        if (!found.labels || !found.iso) return null;
        return { labels: JSON.parse(found.labels) as string[], at: found.iso };
      } catch (error) {
        report(error);
        return null;
      }
    },
    async learn(key, seen) {
      try {
        await learnLabels(
          keyOf(key),
          String(time(seen.at)),
          seen.at,
          JSON.stringify(seen.labels),
          String(TTL_MS),
        );
      } catch (error) {
        report(error);
      }
    },
    async close() {
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

/** Redis when the replicas share `REDIS_URL`, else this process. */
export function createKnownLabels(
  env: { REDIS_URL?: string },
  options: { onError?: (error: Error) => void } = {},
): KnownLabels {
  const url = env.REDIS_URL?.trim();
  return url ? createRedisKnownLabels(url, options) : createInProcessKnownLabels();
}
