import type { Tracking } from "../tracking/tracking-comment.js";

/**
 * A view of the tracking comment that collects a step's changes and writes them in one edit:
 * judging a hotfix may change several lines (production live, window open), and every write
 * counts against GitHub's limit on mutations. Reads see the changes at once.
 */
export async function withBatchedTracking<T>(
  tracking: Tracking,
  run: (batched: Tracking) => Promise<T>,
): Promise<T> {
  let state = tracking.state;
  const batched: Tracking = {
    get state() {
      return state;
    },
    url: () => tracking.url(),
    async update(change) {
      state = change(state);
      return state;
    },
  };
  try {
    return await run(batched);
  } finally {
    // Also after a failure midway: what did happen (a deployment created) is worth showing.
    const final = state;
    await tracking.update(() => final);
  }
}
