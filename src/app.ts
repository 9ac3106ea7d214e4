import type { ApplicationFunction } from "probot";
import type { AppConfig } from "./events/delivery.js";
import { onPullRequest } from "./events/pull-request.js";
import { onReview } from "./events/review.js";
import { onChecks } from "./events/checks.js";
import { onPush } from "./events/push.js";
import { onComment } from "./events/comment.js";
import { onBackportEvents } from "./events/backport.js";
import { onMergeQueueEvents } from "./events/merge-queue.js";
import { onDeploy } from "./events/deploy.js";
import { onIssues } from "./events/issues.js";
import { onStart } from "./events/start.js";
import { serveSweep } from "./events/sweep-route.js";
import { serveOps } from "./observability/ops-routes.js";
import { workInFlight } from "./events/answer-within.js";
import { createLocks } from "./lock/create-locks.js";
import { createHttpCache } from "./github/octokit/conditional-requests.js";
import { createKnownLabels } from "./memory/known-labels.js";
import { registerStepEnds } from "./wiring/step-ends.js";

export type { AppConfig } from "./events/delivery.js";

/** Wires the handlers; decides nothing. */
export function createApp(given: AppConfig): ApplicationFunction {
  // Every step of a hotfix ends with the release's evidence and the notifications it made due.
  registerStepEnds();
  return (app, options) => {
    // One writer per hotfix: across replicas through Redis (REDIS_URL), else in this process.
    const locks =
      given.locks ??
      createLocks(
        { REDIS_URL: given.redisUrl ?? "" },
        { onError: (error) => app.log.error({ err: error }, `hotfix locks: ${error.message}`) },
      );
    // Conditional requests (ETags): most of what a busy repository's events re-read is unchanged.
    const httpCache =
      given.httpCache !== undefined
        ? given.httpCache
        : given.httpCacheBytes === 0
          ? null
          : createHttpCache(given.httpCacheBytes);
    // What payloads said about PRs' labels (in Redis when the replicas share REDIS_URL).
    const knownLabels =
      given.knownLabels ??
      createKnownLabels(
        { REDIS_URL: given.redisUrl ?? "" },
        { onError: (error) => app.log.warn({ err: error }, error.message) },
      );
    const now = given.now ?? (() => new Date());
    const config = { ...given, now, locks, httpCache, knownLabels };
    onPullRequest(app, config);
    onReview(app, config);
    onChecks(app, config);
    onPush(app, config);
    onComment(app, config);
    onBackportEvents(app, config);
    onMergeQueueEvents(app, config);
    onDeploy(app, config);
    onIssues(app, config);
    onStart(app, config);
    // /healthz and /metrics where there is an HTTP server (not under Lambda or Actions).
    serveOps(options, { metricsToken: config.metricsToken, workInFlight });
    // POST /hotfix-bot/sweep for a scheduler, only when SWEEP_TOKEN is set.
    if (config.sweepToken)
      serveSweep(app, options, {
        token: config.sweepToken,
        appId: config.appId,
        locks,
        httpCache,
        now,
      });
  };
}
