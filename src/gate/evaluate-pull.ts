/**
 * The gate use-case: gather the facts of one PR from GitHub (reviews, check runs, statuses,
 * memberships), evaluate the policy, and publish the `Hotfix policy` check run if it changed.
 * Reads: reviews, check runs and statuses — one request each for up to 100 of them; with
 * `concurrency: one_per_line`, the PR's release line too (src/line/gather-line.ts); when the
 * policy has `schedule.freeze_labels`, the open issues carrying each such label; and, unless
 * `conflicts.on_overlap` is off, the open PRs to the same base and their files (`ongoing-work.ts`);
 * for a PR a bot opened, when the policy has approval groups, its commits (who wrote it: their
 * own approvals don't count; `requirements/writers.ts`).
 */
import type { GitHubPort } from "../github/port.js";
import type { CheckRun, PullRequest, Review } from "../github/model.js";
import { isGitHubError } from "../github/errors.js";
import type { Policy } from "../policy/schema.js";
import { evaluateGate, type GateVerdict } from "./evaluate.js";
import { resolveMembership } from "../access/membership.js";
import { describeRule } from "../access/rules.js";
import { reviewerStances, loginsToResolve } from "./requirements/stances.js";
import {
  AUTHOR_ONLY,
  commitsNameWriters,
  unreadableCommits,
  writersOf,
  type Writers,
} from "./requirements/writers.js";
import { GATE_CHECK_NAME, renderVerdict, type CheckRunOutput } from "./render.js";
import { ownRun, publishCheckRun, type CheckWrite } from "./check-run.js";
import { recogniseHotfix } from "./recognise.js";
import { gatherLine, type LineContext } from "../line/gather-line.js";
import type { LineSnapshot } from "../line/snapshot.js";
import { decideSchedule, hasSchedule, type ScheduleDecision } from "../schedule/decide.js";
import type { FreezeIssue } from "../schedule/freeze-issue.js";
import { gatherOngoingWork } from "./ongoing-work.js";
import { requestMissingReviews } from "./request-reviews.js";
import { readRulesFor, rulesNeed } from "../rules/read-rules.js";
import type { BranchRules } from "../github/port/rules.js";
import { foreseeRules } from "../rules/foresee.js";
import { isRequiredName } from "./requirements/checks.js";

export interface GateContext {
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  /** The app's clock: the release schedule, and a release line's monitoring windows. */
  now: () => Date;
  /** The PR's release line, already read (`gatherLine`) by a caller judging several PRs. */
  line?: LineSnapshot;
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
  /** Who wrote the PR besides its author (for a PR a bot opened): never asked to review. */
  writers: Writers;
  /** GitHub's rules of the base as read for this evaluation; null when not read. */
  rules: BranchRules | null;
}

/** Evaluates without writing anything: the gate's view, and `/release-hotfix`'s final check. */
export async function evaluatePull(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
): Promise<Evaluation> {
  const { policy } = ctx;
  const sha = pull.head.sha;
  const approvals = policy.approvals.groups.length > 0;
  const [groupReviews, writers, checkRuns, policyStatuses, schedule, ongoingWork, rules] =
    await Promise.all([
      approvals ? github.listReviews(pull.number) : null,
      approvals ? writersOfPull(github, pull) : AUTHOR_ONLY,
      github.listCheckRuns(sha),
      policy.checks.required.length > 0 ? github.listStatuses(sha) : null,
      scheduleOf(github, pull, ctx),
      ctx.ongoingWork === false ? null : gatherOngoingWork(github, pull, policy),
      readRulesFor(github, pull, policy),
    ]);
  // GitHub's rules may ask for what the policy does not: read it then, once.
  const need = rulesNeed(rules);
  const reviews = groupReviews ?? (need.reviews ? await github.listReviews(pull.number) : []);
  const statuses = policyStatuses ?? (need.statuses ? await github.listStatuses(sha) : []);
  const stances = reviewerStances(pull, reviews, policy.approvals.invalidate_on_push, writers);
  const membership = await resolveMembership(
    github,
    loginsToResolve(stances),
    policy.approvals.groups,
  );
  const line =
    policy.concurrency === "one_per_line"
      ? (ctx.line ?? (await gatherLine(lineContext(github, ctx), pull.base.ref)))
      : null;
  const verdict = evaluateGate(
    {
      pull,
      stances,
      membership,
      checks: { headSha: sha, checkRuns, statuses, ownAppId: ctx.ownAppId },
      line,
      schedule,
      ongoingWork,
      branchRules:
        rules && policy.release.merge_method !== "none"
          ? foreseeRules({
              rules,
              pull,
              reviews,
              checkRuns,
              statuses,
              method: policy.release.merge_method,
              unreadable: policy.release.unreadable_rules,
              // `/release-hotfix` adds the PR to a required merge queue (src/merge-queue/).
              mergeQueue: true,
              policyRequires: (name) => isRequiredName(name, policy),
            })
          : null,
    },
    policy,
  );
  const output = renderVerdict(verdict, {
    policyFiles: ctx.policyFiles,
    command: policy.release.command,
    scheduleHint: scheduleHint(policy),
  });
  return { verdict, output, checkRuns, reviews, writers, rules };
}

/**
 * Who wrote a PR a bot opened, from its commits (one conditional request per 100). A GitHub
 * error is an answer too: the approvals then cannot be checked, and the groups say why.
 */
async function writersOfPull(github: GitHubPort, pull: PullRequest): Promise<Writers> {
  if (!commitsNameWriters(pull)) return AUTHOR_ONLY;
  try {
    return writersOf(await github.listPullCommits(pull.number));
  } catch (error) {
    if (!isGitHubError(error)) throw error;
    return unreadableCommits(error.status, error.message);
  }
}

/** What reading a PR's release line needs, from the gate's context. */
export function lineContext(github: GitHubPort, ctx: GateContext): LineContext {
  return {
    github,
    policy: ctx.policy,
    isHotfix: (p) => recogniseHotfix(p, ctx.policy.hotfix).hotfix,
    now: ctx.now(),
    ownAppId: ctx.ownAppId,
  };
}

/** What a maintainer may do while only the schedule waits. */
function scheduleHint(policy: Policy): string {
  const command = policy.release.command;
  const override = policy.schedule.override;
  return [
    policy.schedule.outside_window === "queue"
      ? `While the schedule is closed, \`${command}\` queues the release: it runs when the schedule opens, after the final check is made again.`
      : `While the schedule is closed, \`${command} --when-open\` queues the release: it runs when the schedule opens, after the final check is made again.`,
    override
      ? `\`${command} --override "reason"\` releases now, recorded with the reason; allowed to ${describeRule(override)} (policy key \`schedule.override\`).`
      : "No one may release outside it (the policy has no `schedule.override`).",
  ].join(" ");
}

/** The schedule for the PR's base now; the freeze issues are read only when labels name them. */
async function scheduleOf(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
): Promise<ScheduleDecision | null> {
  const { schedule } = ctx.policy;
  if (!hasSchedule(schedule)) return null;
  const found = new Map<number, FreezeIssue>();
  for (const label of schedule.freeze_labels)
    for (const issue of await github.listOpenIssuesWithLabel(label)) found.set(issue.number, issue);
  const freezeIssues = [...found.values()].sort((a, b) => a.number - b.number);
  return decideSchedule(schedule, { base: pull.base.ref, now: ctx.now(), freezeIssues });
}

export async function runGate(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
  options: { force?: boolean; readyForReview?: boolean } = {},
): Promise<{ verdict: GateVerdict; write: CheckWrite; asked: string | null }> {
  const { verdict, output, checkRuns, reviews, writers } = await evaluatePull(github, pull, ctx);
  const current = ownRun(checkRuns, GATE_CHECK_NAME, ctx.ownAppId);
  // Once per head commit: its first evaluation, or the moment a draft becomes reviewable.
  const asked =
    current === undefined || options.readyForReview
      ? await requestMissingReviews(github, {
          pull,
          requirements: verdict.requirements,
          reviews,
          writers,
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
