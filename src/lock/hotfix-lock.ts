/**
 * One writer per hotfix at a time. Every piece of lifecycle work on one PR — a release step, a
 * backport target, a deployment event, a command, the sweep's look at it — runs while holding
 * that hotfix's lock, so two deliveries (in one process or in two replicas) never interleave
 * their reads and writes of the same hotfix.
 *
 * A release also holds its line's lock (`lineKey`) while it chooses the version, merges and tags,
 * so two hotfixes of one line released at the same moment take the next two versions in the
 * order they are merged.
 *
 * Two implementations: in this process (`in-process-lock.ts`, the default: right for one
 * replica) and across replicas through Redis (`redis-lock.ts`, with `REDIS_URL`): a lock that
 * expires if its holder dies, and a fencing check before every write so a holder that lost the
 * lock (it stalled past the expiry and another replica took over) cannot write any more.
 */

/** The right to write one hotfix, for as long as `hold`'s work runs. */
export interface Lease {
  readonly key: string;
  /**
   * Resolves while this holder still holds the lock; throws `LockLostError` once it does not
   * (it expired, or another holder took it). Called before every write to GitHub.
   */
  assertHeld(): Promise<void>;
}

export interface HotfixLocks {
  readonly kind: "in-process" | "redis";
  /**
   * Runs `work` as the only holder of `key`, waiting for the current holder first; releases
   * when `work` settles. Re-entrant: within `work`, holding the same key again runs at once
   * with the same lease. Throws `LockTimeoutError` when the lock cannot be had in time.
   */
  hold<T>(key: string, work: (lease: Lease) => Promise<T>): Promise<T>;
  /** Ends connections (Redis); holding afterwards fails. */
  close(): Promise<void>;
}

export class LockLostError extends Error {
  override name = "LockLostError";
}

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

/** The lock of one hotfix: the PR of a repository. */
export function hotfixKey(repo: { owner: string; repo: string }, pr: number): string {
  return `${repo.owner}/${repo.repo}#${pr}`.toLowerCase();
}

/**
 * The lock of one release line: its versions are chosen and its tags created by one release at
 * a time. `line` names the line (`1.4.x`), or the target branch when it is not a release line.
 * Always taken *inside* a hotfix's lock, never the other way round: a holder of a line lock never
 * waits for a hotfix lock, so two releases on one line cannot deadlock.
 */
export function lineKey(repo: { owner: string; repo: string }, line: string): string {
  return `${repo.owner}/${repo.repo}@${line}`.toLowerCase();
}
