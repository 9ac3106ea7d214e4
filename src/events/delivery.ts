/**
 * Every handler runs inside `handleDelivery`, which does the same things in the same order for
 * every event family:
 *
 * 1. the handler's guard decides from the payload alone whether the delivery can matter — most
 *    cannot, and cost no request;
 * 2. the policy is resolved once — absent (no policy, or a repository the installation cannot
 *    read: nothing to do), invalid (only its problems are reported, where the user acted), or
 *    valid — before any other read;
 * 3. the use-case runs with a GitHub port whose writes require the hotfix's lock when one is
 *    held (`guardWrites`);
 * 4. one structured log line is written — delivery id, event, repository, PR, the decision and
 *    the GitHub requests spent — and the delivery metrics.
 *
 * The work races the answer budget (`answer-within.ts`): GitHub gets its answer in time however
 * long the work takes.
 */
import type { Context } from "probot";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { createGitHubPort, type Octokit } from "../github/octokit-port.js";
import { observeRequests } from "../github/octokit/observe-requests.js";
import { loadPolicy, type PolicyLoad } from "../policy/load.js";
import type { Policy } from "../policy/schema.js";
import {
  recordAnsweredBeforeDone,
  recordDelivery,
  recordGitHubAnswer,
  trackInFlight,
  type DeliveryOutcome,
} from "../observability/metrics.js";
import { answerWithin } from "./answer-within.js";
import type { WritePacer } from "../backport/pace-writes.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";
import { guardWrites } from "../lock/write-guard.js";
import { pullKey, type KnownLabels } from "../memory/known-labels.js";
import { conditionalRequests, type HttpCache } from "../github/octokit/conditional-requests.js";
import type { CarryContext } from "../backport/carry.js";
import { lineWatcher } from "../gate/regate-line.js";

export interface AppConfig {
  /** This app's id: its own check runs are recognised by it. From APP_ID. */
  appId: number | null;
  /**
   * How long a delivery's work may hold the answer to GitHub (which gives up after 10 s);
   * longer work goes on after the answer. `Infinity` waits for the work: for runtimes that
   * freeze once they have answered (Lambda) or have nobody to answer (Actions).
   * Default `DEFAULT_ANSWER_WITHIN_MS`.
   */
  answerWithinMs?: number;
  /** When set, GET /metrics asks for `Authorization: Bearer <token>`. From METRICS_TOKEN. */
  metricsToken?: string;
  /**
   * When set, POST /hotfix-bot/sweep closes monitoring windows for a scheduler, answering only
   * `Authorization: Bearer <token>`; unset, there is no such route. From SWEEP_TOKEN.
   */
  sweepToken?: string;
  /**
   * Redis, shared by the replicas: the hotfix locks (one writer per hotfix across replicas) and
   * Probot's write throttling. From REDIS_URL; unset, locks are per process (run one replica).
   */
  redisUrl?: string;
  /** The hotfix locks; made from `redisUrl` when not given (tests give their own). */
  locks?: HotfixLocks;
  /**
   * The conditional-request cache's size in bytes (`HOTFIX_HTTP_CACHE_MB`, default 50 MB);
   * 0 turns it off.
   */
  httpCacheBytes?: number;
  /** The cache itself; made from `httpCacheBytes` when not given. */
  httpCache?: HttpCache | null;
  /** What payloads said about PRs' labels; made from `redisUrl` when not given. */
  knownLabels?: KnownLabels;
  /**
   * Paces the backport engine's writes under GitHub's secondary rate limit. Default: one pacer
   * per account, 60 writes a minute after a burst of 10 (src/backport/pace-writes.ts). Give
   * `unpaced` where that limit does not apply: a GitHub Enterprise Server with rate limiting
   * off, or a local GitHub stand-in (scenario tests, `npm run bench`).
   */
  backportPacer?: WritePacer;
  /**
   * The app's clock: the release schedule is judged at `now()`, and times the app stores come
   * from it. Default the system clock; tests inject theirs instead of waiting.
   */
  now?: () => Date;
}

/** Leaves half of GitHub's 10 s for the network and GitHub's own side. */
export const DEFAULT_ANSWER_WITHIN_MS = 5_000;

export interface Delivery {
  github: GitHubPort;
  config: WiredConfig;
  /** Keys the PRs of this delivery's repository in the payload memory (`knownLabels`). */
  pullKey(pr: number): string;
  /** The policy, resolved once before anything else was read. */
  policy: PolicyLoad;
  /** What the lifecycle use-cases need, for a valid policy. */
  lifecycle(policy: Policy): CarryContext & { policyFiles: readonly string[] };
  /** The PR this delivery is about, for the log line. */
  setPull(number: number): void;
}

/** What a payload's PR says about its labels, for `DeliveryHandler.learn`. */
export function learnt(pull: PullRequest): DeliveryHandler["learn"] {
  return pull.updatedAt ? { pr: pull.number, labels: pull.labels, at: pull.updatedAt } : null;
}

export interface DeliveryHandler {
  /** What the payload says about a PR's labels, remembered for later deliveries (first of all). */
  learn?: { pr: number; labels: string[]; at: string } | null;
  /** From the payload alone: why this delivery cannot matter, or null to go on. No requests. */
  skip?: () => string | null;
  run: (delivery: Delivery) => Promise<string>;
}

/** The configuration handlers run with: what is made once per app and shared by deliveries. */
export type WiredConfig = AppConfig & {
  now: () => Date;
  locks: HotfixLocks;
  httpCache: HttpCache | null;
  knownLabels: KnownLabels;
};

export async function handleDelivery(
  context: Context,
  config: WiredConfig,
  handler: DeliveryHandler,
): Promise<void> {
  const started = performance.now();
  const repo = context.repo();
  const octokit = context.octokit as unknown as Octokit;
  const payload = context.payload as { action?: string; installation?: { id?: number } };
  const event = payload.action ? `${context.name}.${payload.action}` : context.name;
  const installation = String(payload.installation?.id ?? "none");
  let pull: number | undefined;
  const line = { delivery: context.id, event, repo: `${repo.owner}/${repo.repo}` };
  const done = trackInFlight();
  const finish = (outcome: DeliveryOutcome) => {
    done();
    recordDelivery(event, outcome, (performance.now() - started) / 1000);
  };

  const keyOf = (pr: number) => pullKey(installation, repo, pr);
  // Remembered before anything else: a check run handled a moment later must know the label.
  if (handler.learn) {
    const { pr, labels, at } = handler.learn;
    await config.knownLabels.learn(keyOf(pr), { labels, at });
  }

  const skipped = handler.skip?.() ?? null;
  if (skipped !== null) {
    context.log.info({ ...line, decision: skipped, requests: 0 }, `${event}: ${skipped}`);
    finish("no_request");
    return;
  }

  observeRequests(octokit, (request) => recordGitHubAnswer(request, installation));
  guardWrites(octokit);
  const github = createGitHubPort(octokit, repo);
  let notModified = 0;
  if (config.httpCache)
    conditionalRequests(octokit, config.httpCache, installation, () => notModified++);

  const work = (async () => {
    try {
      const policy = await loadPolicy(github);
      const delivery: Delivery = {
        github,
        config,
        pullKey: keyOf,
        policy,
        lifecycle: (valid) => {
          const files = policy.state === "absent" ? [] : policy.files;
          const afterStep = lineWatcher(
            github,
            { state: "valid", policy: valid, files },
            { ownAppId: config.appId, locks: config.locks, now: config.now },
          );
          return {
            github,
            policy: valid,
            policyFiles: files,
            locks: config.locks,
            ownAppId: config.appId,
            pacer: config.backportPacer,
            now: config.now,
            ...(afterStep ? { afterStep } : {}),
          };
        },
        setPull: (n) => {
          pull = n;
        },
      };
      const decision = await handler.run(delivery);
      const requests = github.requestCount();
      // `counted`: what GitHub counts against the installation's limit (a 304 is not counted).
      context.log.info(
        {
          ...line,
          pr: pull,
          decision,
          requests,
          counted: requests - notModified,
          writes: github.writeCount(),
        },
        `${event}: ${decision}`,
      );
      finish(requests === 0 ? "no_request" : github.writeCount() === 0 ? "read_only" : "wrote");
    } catch (error) {
      context.log.error(
        { ...line, pr: pull, decision: "error", requests: github.requestCount(), err: error },
        `${event}: failed: ${(error as Error).message}`,
      );
      finish("error");
      throw error;
    }
  })();

  const budget = config.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS;
  await answerWithin(work, budget, () => {
    recordAnsweredBeforeDone(event);
    context.log.info(
      { ...line, pr: pull, decision: "answered; work continues", requests: github.requestCount() },
      `${event}: answered GitHub after ${budget} ms; the work continues`,
    );
  });
}
