/**
 * GitHub waits at most 10 s for the answer to a delivery and then records it as failed. A
 * release, or a backport of 50 commits paced under GitHub's secondary rate limit, takes longer.
 * So a handler's work races a budget: work that ends in time is answered as usual (an error
 * still gives GitHub a 500 it can show and redeliver); work still running when the budget is
 * spent goes on after the answer, is logged and counted when it ends, and is held by `drain`
 * on shutdown. Every use-case reads what GitHub already has before writing, so if this process
 * dies midway a redelivery, a re-run of the check or a repeated command resumes without
 * duplicates.
 *
 * (@octokit/webhooks' own middleware answers 202 after 9 s and keeps processing too; 9 s leaves
 * too little for the network, and it cannot be configured through Probot's server.)
 */

const running = new Set<Promise<unknown>>();

/**
 * Resolves when `work` ends or when `budgetMs` has passed, whichever is first; rejects if
 * `work` fails within the budget. `Infinity` waits for the work (Lambda, Actions).
 */
export async function answerWithin(
  work: Promise<unknown>,
  budgetMs: number,
  onAnsweredFirst: () => void,
): Promise<void> {
  const tracked = work.finally(() => running.delete(tracked));
  running.add(tracked);
  tracked.catch(() => {}); // failures are logged by the work itself once the answer is gone
  if (!Number.isFinite(budgetMs)) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"budget spent">((resolve) => {
    timer = setTimeout(() => resolve("budget spent"), Math.max(0, budgetMs));
  });
  try {
    const first = await Promise.race([work.then(() => "done" as const), budget]);
    if (first === "budget spent") onAnsweredFirst();
  } finally {
    clearTimeout(timer);
  }
}

/** Deliveries whose work is still running in this process. */
export function workInFlight(): number {
  return running.size;
}

/**
 * Waits for running work to end, at most `timeoutMs`: on SIGTERM (a rolling deploy, `docker
 * stop`) so a release under way is not cut in the middle when it can be helped. Resolves with
 * how many were still running when it gave up.
 */
export async function drain(timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([...running]), timeout]);
  clearTimeout(timer);
  return running.size;
}
