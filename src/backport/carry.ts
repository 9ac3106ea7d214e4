/**
 * Carries a merged PR to other branches: one step of the hotfix's one writer per target (so a
 * deployment event waits for one backport at most, never for all of them), each ending in a
 * backport PR, a draft with the conflicts, "already there", or a failure that says what to do —
 * all shown in the tracking comment. The commits to carry are read once, when the first target
 * needs them.
 */
import type { CommitInfo } from "../github/port/git.js";
import type { PullRequest } from "../github/model.js";
import { stepHotfix, type StepContext } from "../record/step.js";
import { countBackport } from "../observability/metrics.js";
import { isGitHubError } from "../github/errors.js";
import { backportTarget, type BackportOutcome } from "./backport-target.js";
import { commitsToCarry } from "./commits-to-carry.js";
import { createWritePacer, type WritePacer } from "./pace-writes.js";
import { shortSha } from "./pick-message.js";

export interface CarryContext extends StepContext {
  /** Paces the backports' writes; default one pacer per account. */
  pacer?: WritePacer | undefined;
}

/** One pacer per account: concurrent backports in one installation share GitHub's write budget. */
const pacers = new Map<string, WritePacer>();
function pacerFor(owner: string): WritePacer {
  let pacer = pacers.get(owner);
  if (!pacer) pacers.set(owner, (pacer = createWritePacer()));
  return pacer;
}

export async function carryBackports(
  ctx: CarryContext,
  pull: PullRequest,
  targets: readonly string[],
  options: { release?: { tag: string; url?: string | undefined } | undefined } = {},
): Promise<BackportOutcome[]> {
  const wanted = [...new Set(targets)].filter((t) => t !== pull.base.ref);
  const pacer = ctx.pacer ?? pacerFor(ctx.github.repo.owner);
  let commits: Promise<CommitInfo[] | { reason: string }> | undefined;
  const outcomes: BackportOutcome[] = [];
  for (const target of wanted) {
    const outcome = await stepHotfix(ctx, pull.number, (step) => {
      const method = step.record.stored.release?.method;
      return backportTarget(step, {
        target,
        commits: () => (commits ??= selectForBackport(ctx, step.pull, method)),
        release: options.release,
        pacer,
      });
    }).catch((error: unknown): BackportOutcome => {
      // GitHub failed around the step itself (reading the record, writing the comment): this
      // target could not even be recorded; the next targets are still tried.
      if (!isGitHubError(error)) throw error;
      return {
        target,
        kind: "failed",
        text: `GitHub answered ${error.status} to ${error.route}: ${error.message}`,
      };
    });
    countBackport(outcome.kind);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** When hotfix-bot squash-merged the PR itself it knows the commit: one request instead of two. */
async function selectForBackport(
  ctx: CarryContext,
  pull: PullRequest,
  method: string | undefined,
): Promise<CommitInfo[] | { reason: string }> {
  if (method === "squash" && pull.mergeCommitSha) {
    const commit = await ctx.github.getCommit(pull.mergeCommitSha);
    return commit
      ? [commit]
      : { reason: `the merge commit ${shortSha(pull.mergeCommitSha)} is not readable` };
  }
  const selection = await commitsToCarry(ctx.github, pull);
  return selection.kind === "carry" ? selection.commits : { reason: selection.reason };
}

export function summarise(outcomes: readonly BackportOutcome[]): string {
  if (outcomes.length === 0) return "backports: nothing to do";
  return `backports: ${outcomes.map((o) => `${o.target} ${o.kind}`).join(", ")}`;
}
