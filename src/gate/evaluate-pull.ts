/**
 * The gate use-case: gather the facts of one PR from GitHub (reviews, check runs, statuses,
 * memberships), evaluate the policy, and publish the `Hotfix policy` check run if it changed.
 * Reads: reviews, check runs and statuses — one request each for up to 100 of them; with
 * `concurrency: one_per_line`, the PR's release line too (src/line/gather-line.ts).
 */
import type { GitHubPort } from "../github/port.js";
import type { CheckRun, PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { evaluateGate, type GateVerdict } from "./evaluate.js";
import { resolveMembership } from "../access/membership.js";
import { reviewerStances, loginsToResolve } from "./requirements/stances.js";
import { GATE_CHECK_NAME, renderVerdict, type CheckRunOutput } from "./render.js";
import { ownRun, publishCheckRun, type CheckWrite } from "./check-run.js";
import { recogniseHotfix } from "./recognise.js";
import { gatherLine, type LineContext } from "../line/gather-line.js";
import type { LineSnapshot } from "../line/snapshot.js";

export interface GateContext {
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  /** The time the gate is judged at (a release line's monitoring windows); default now. */
  now?: () => Date;
  /** The PR's release line, already read (`gatherLine`) by a caller judging several PRs. */
  line?: LineSnapshot;
}

export interface Evaluation {
  verdict: GateVerdict;
  output: CheckRunOutput;
  checkRuns: CheckRun[];
}

/** Evaluates without writing anything: the gate's view, and `/release-hotfix`'s final check. */
export async function evaluatePull(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
): Promise<Evaluation> {
  const { policy } = ctx;
  const sha = pull.head.sha;
  const [reviews, checkRuns, statuses] = await Promise.all([
    policy.approvals.groups.length > 0 ? github.listReviews(pull.number) : Promise.resolve([]),
    github.listCheckRuns(sha),
    policy.checks.required.length > 0 ? github.listStatuses(sha) : Promise.resolve([]),
  ]);
  const stances = reviewerStances(pull, reviews, policy.approvals.invalidate_on_push);
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
    },
    policy,
  );
  const output = renderVerdict(verdict, {
    policyFiles: ctx.policyFiles,
    command: policy.release.command,
  });
  return { verdict, output, checkRuns };
}

/** What reading a PR's release line needs, from the gate's context. */
export function lineContext(github: GitHubPort, ctx: GateContext): LineContext {
  return {
    github,
    policy: ctx.policy,
    isHotfix: (p) => recogniseHotfix(p, ctx.policy.hotfix).hotfix,
    now: (ctx.now ?? (() => new Date()))(),
    ownAppId: ctx.ownAppId,
  };
}

export async function runGate(
  github: GitHubPort,
  pull: PullRequest,
  ctx: GateContext,
  options: { force?: boolean } = {},
): Promise<{ verdict: GateVerdict; write: CheckWrite }> {
  const { verdict, output, checkRuns } = await evaluatePull(github, pull, ctx);
  const write = await publishCheckRun(github, {
    sha: pull.head.sha,
    name: GATE_CHECK_NAME,
    output,
    current: ownRun(checkRuns, GATE_CHECK_NAME, ctx.ownAppId),
    ...(options.force ? { force: true } : {}),
  });
  return { verdict, write };
}
