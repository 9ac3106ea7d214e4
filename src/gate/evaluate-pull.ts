/**
 * The gate use-case: gather the facts of one PR from GitHub (reviews, check runs, statuses,
 * memberships), evaluate the policy, and publish the `Hotfix policy` check run if it changed.
 * Reads: reviews, check runs and statuses — one request each for up to 100 of them — and, unless
 * `conflicts.on_overlap` is off, the open PRs to the same base and their files (`ongoing-work.ts`).
 */
import type { GitHubPort } from "../github/port.js";
import type { CheckRun, PullRequest, Review } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { evaluateGate, type GateVerdict } from "./evaluate.js";
import { resolveMembership } from "../access/membership.js";
import { reviewerStances, loginsToResolve } from "./requirements/stances.js";
import { GATE_CHECK_NAME, renderVerdict, type CheckRunOutput } from "./render.js";
import { ownRun, publishCheckRun, type CheckWrite } from "./check-run.js";
import { gatherOngoingWork } from "./ongoing-work.js";
import { requestMissingReviews } from "./request-reviews.js";

export interface GateContext {
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  /**
   * Whether to look at other open PRs to the same base (default: whenever the policy asks). A
   * final check skips them when they cannot change its answer (`conflicts.on_overlap: warn`).
   */
  ongoingWork?: boolean;
}

export interface Evaluation {
  verdict: GateVerdict;
  output: CheckRunOutput;
  checkRuns: CheckRun[];
  reviews: Review[];
}

/** Evaluates without writing anything: the gate's view, and `/release-hotfix`'s final check. */
export async function evaluatePull(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
): Promise<Evaluation> {
  const { policy } = ctx;
  const sha = pull.head.sha;
  const [reviews, checkRuns, statuses, ongoingWork] = await Promise.all([
    policy.approvals.groups.length > 0 ? github.listReviews(pull.number) : Promise.resolve([]),
    github.listCheckRuns(sha),
    policy.checks.required.length > 0 ? github.listStatuses(sha) : Promise.resolve([]),
    ctx.ongoingWork === false ? null : gatherOngoingWork(github, pull, policy),
  ]);
  const stances = reviewerStances(pull, reviews, policy.approvals.invalidate_on_push);
  const membership = await resolveMembership(
    github,
    loginsToResolve(stances),
    policy.approvals.groups,
  );
  const verdict = evaluateGate(
    {
      pull,
      stances,
      membership,
      checks: { headSha: sha, checkRuns, statuses, ownAppId: ctx.ownAppId },
      ongoingWork,
    },
    policy,
  );
  const output = renderVerdict(verdict, {
    policyFiles: ctx.policyFiles,
    command: policy.release.command,
  });
  return { verdict, output, checkRuns, reviews };
}

export async function runGate(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
  options: { force?: boolean; readyForReview?: boolean } = {},
): Promise<{ verdict: GateVerdict; write: CheckWrite; asked: string | null }> {
  const { verdict, output, checkRuns, reviews } = await evaluatePull(github, pull, ctx);
  const current = ownRun(checkRuns, GATE_CHECK_NAME, ctx.ownAppId);
  // Once per head commit: its first evaluation, or the moment a draft becomes reviewable.
  const asked =
    current === undefined || options.readyForReview
      ? await requestMissingReviews(github, {
          pull,
          requirements: verdict.requirements,
          reviews,
          policy: ctx.policy,
        })
      : null;
  const write = await publishCheckRun(github, {
    sha: pull.head.sha,
    name: GATE_CHECK_NAME,
    output,
    current,
    ...(options.force ? { force: true } : {}),
  });
  return { verdict, write, asked };
}
