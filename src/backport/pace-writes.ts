/**
 * GitHub's secondary rate limit counts content-creating requests (~80 a minute, 500 an hour);
 * a burst of them earns a 403 (11 merges in 33 s did, palantir/bulldozer#276). Every write of
 * the backport engine waits its turn here, so a 50-commit backport is spread out instead of
 * failing. Share one pacer per installation so that concurrent backports queue together.
 *
 * The schedule is a leaky bucket (GCRA): after `burst` quick writes, one every
 * 60 s / `writesPerMinute`. Slots are reserved synchronously, so concurrent callers never share one.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface WritePacer {
  /** Resolves when the next write may go out. */
  beforeWrite(): Promise<void>;
}

export interface PacerOptions {
  /** Sustained rate; default 60, below GitHub's ~80 to leave room for the app's other writes. */
  writesPerMinute?: number;
  /** Writes allowed back to back before pacing starts; default 10. */
  burst?: number;
  clock?: Clock;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function createWritePacer(options: PacerOptions = {}): WritePacer {
  const rate = options.writesPerMinute ?? 60;
  const burst = Math.max(1, options.burst ?? 10);
  if (!(rate > 0)) throw new Error(`writesPerMinute must be positive, got ${rate}`);
  const clock = options.clock ?? realClock;
  const interval = 60_000 / rate;
  const tolerance = (burst - 1) * interval;
  let theoreticalArrival = -Infinity;

  return {
    async beforeWrite() {
      const now = clock.now();
      const arrival = Math.max(theoreticalArrival, now);
      const allowedAt = arrival - tolerance;
      theoreticalArrival = arrival + interval;
      if (allowedAt > now) await clock.sleep(allowedAt - now);
    },
  };
}

/** No pacing at all: for tests, and for callers that pace elsewhere. */
export const unpaced: WritePacer = { beforeWrite: async () => undefined };
