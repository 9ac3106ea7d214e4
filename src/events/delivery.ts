/**
 * Every handler runs inside `handleDelivery`: it builds the GitHub port for the event's
 * repository, runs the use-case, and writes one structured log line per delivery — delivery
 * id, event, repository, PR, the decision and the GitHub requests it spent — and the delivery
 * metrics. The work races the answer budget (`answer-within.ts`): GitHub gets its answer in
 * time however long the work takes.
 */
import type { Context } from "probot";
import type { GitHubPort } from "../github/port.js";
import { createGitHubPort, type Octokit } from "../github/octokit-port.js";
import { observeRequests } from "../github/octokit/observe-requests.js";
import { loadPolicy, type PolicyLoad } from "../policy/load.js";
import {
  recordAnsweredBeforeDone,
  recordDelivery,
  recordGitHubAnswer,
  trackInFlight,
  type DeliveryOutcome,
} from "../observability/metrics.js";
import { answerWithin } from "./answer-within.js";
import type { WritePacer } from "../backport/pace-writes.js";

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
   * Paces the backport engine's writes under GitHub's secondary rate limit. Default: one pacer
   * per account, 60 writes a minute after a burst of 10 (src/backport/pace-writes.ts). Give
   * `unpaced` where that limit does not apply: a GitHub Enterprise Server with rate limiting
   * off, or a local GitHub stand-in (scenario tests, `npm run bench`).
   */
  backportPacer?: WritePacer;
}

/** Leaves half of GitHub's 10 s for the network and GitHub's own side. */
export const DEFAULT_ANSWER_WITHIN_MS = 5_000;

export interface Delivery {
  github: GitHubPort;
  config: AppConfig;
  /** The policy, loaded once per delivery on first use. */
  policy(): Promise<PolicyLoad>;
  /** The PR this delivery is about, for the log line. */
  setPull(number: number): void;
}

type AnyContext = Context;

const READS = new Set(["GET", "HEAD"]);

export async function handleDelivery(
  context: AnyContext,
  config: AppConfig,
  run: (delivery: Delivery) => Promise<string>,
): Promise<void> {
  const started = performance.now();
  const repo = context.repo();
  const octokit = context.octokit as unknown as Octokit;
  const payload = context.payload as { action?: string; installation?: { id?: number } };
  const event = payload.action ? `${context.name}.${payload.action}` : context.name;
  const installation = String(payload.installation?.id ?? "none");
  let writes = 0;
  observeRequests(octokit, (request) => {
    recordGitHubAnswer(request, installation);
    if (!READS.has(request.method.toUpperCase())) writes++;
  });
  const github = createGitHubPort(octokit, repo);
  let pull: number | undefined;
  let policy: Promise<PolicyLoad> | undefined;
  const delivery: Delivery = {
    github,
    config,
    policy: () => (policy ??= loadPolicy(github)),
    setPull: (n) => {
      pull = n;
    },
  };
  const line = { delivery: context.id, event, repo: `${repo.owner}/${repo.repo}` };
  const done = trackInFlight();
  const finish = (outcome: DeliveryOutcome) => {
    done();
    recordDelivery(event, outcome, (performance.now() - started) / 1000);
  };

  const work = (async () => {
    try {
      const decision = await run(delivery);
      const requests = github.requestCount();
      context.log.info({ ...line, pr: pull, decision, requests }, `${event}: ${decision}`);
      finish(requests === 0 ? "no_request" : writes === 0 ? "read_only" : "wrote");
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
