/**
 * When backports happen, and to where: after a hotfix's release (`backport.when: released`, from
 * the release itself) or at its merge (`merged`), to `backport.branches`; for any merged PR, to
 * the branch named by a `backport <branch>` label; and to the branches of a `/backport` comment.
 */
import type { PullRequest } from "../github/model.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { stepHotfix } from "../record/step.js";
import { backportTargets } from "./targets.js";
import { carryBackports, summarise, type CarryContext } from "./carry.js";
import type { BackportOutcome } from "./backport-target.js";

const LABEL = /^backport\s+(\S+)$/i;

/** The branch a `backport <branch>` label names, or null. */
export function labelTarget(label: string): string | null {
  return LABEL.exec(label.trim())?.[1] ?? null;
}

/**
 * Policy targets that exist, without the PR's base; a pattern matching no branch is recorded,
 * so the tracking comment says so instead of silently carrying the fix nowhere.
 */
export async function policyTargets(ctx: CarryContext, pull: PullRequest): Promise<string[]> {
  const { policy, github } = ctx;
  if (policy.backport.branches.length === 0) return [];
  const { targets, unmatched } = backportTargets(
    policy.backport.branches,
    await github.listBranches(),
    pull.base.ref,
  );
  if (unmatched.length > 0) {
    await stepHotfix(ctx, pull.number, async (step) => {
      const at = step.now().toISOString();
      step.store((s) => ({
        ...s,
        backports: {
          ...s.backports,
          ...Object.fromEntries(unmatched.map((p) => [p, { kind: "no-branch" as const, at }])),
        },
      }));
    });
  }
  return targets;
}

/** A PR was merged: hotfixes with `when: merged`, and any PR with `backport <branch>` labels. */
export async function backportOnMerge(ctx: CarryContext, pull: PullRequest): Promise<string> {
  const labelled = pull.labels
    .map(labelTarget)
    .filter((t): t is string => t !== null && t !== pull.base.ref);
  const byPolicy =
    ctx.policy.backport.when === "merged" && recogniseHotfix(pull, ctx.policy.hotfix).hotfix;
  if (!byPolicy && labelled.length === 0) return "backports: none asked for";
  const targets = [...(byPolicy ? await policyTargets(ctx, pull) : []), ...labelled];
  return summarise(await carryBackports(ctx, pull, targets));
}

/** Explicit targets, from a label added after the merge or a `/backport` command. */
export function backportTo(
  ctx: CarryContext,
  pull: PullRequest,
  targets: readonly string[],
): Promise<BackportOutcome[]> {
  return carryBackports(ctx, pull, targets);
}
