/**
 * Reading GitHub's rules for a hotfix's merge: only when hotfix-bot will merge it (an open PR,
 * `release.merge_method` other than `none`). The reads are conditional GETs (answered 304 and
 * not counted against the rate limit while the rules are unchanged): the branch's rules, the
 * branch (is it protected?), each ruleset named (may hotfix-bot bypass it?) and, only for a
 * protected branch, its classic protection.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { BranchRules } from "../github/port/rules.js";
import type { Policy } from "../policy/schema.js";

export function mergesItself(pull: PullRequest, policy: Policy): boolean {
  return pull.state === "open" && !pull.merged && policy.release.merge_method !== "none";
}

export async function readRulesFor(
  github: Pick<GitHubPort, "readBranchRules">,
  pull: PullRequest,
  policy: Policy,
): Promise<BranchRules | null> {
  return mergesItself(pull, policy) ? github.readBranchRules(pull.base.ref) : null;
}

/** Whether the rules read make the gate need the PR's reviews or commit statuses. */
export function rulesNeed(rules: BranchRules | null): { reviews: boolean; statuses: boolean } {
  const kinds = rules?.rules ?? [];
  return {
    reviews: kinds.some((r) => r.kind === "reviews" && r.count > 0),
    statuses: kinds.some((r) => r.kind === "checks"),
  };
}

/** Whether GitHub's rules of `branch` require a check (run or status) of this name. */
export async function rulesRequireCheck(
  github: Pick<GitHubPort, "readBranchRules">,
  bases: Iterable<string>,
  name: string,
): Promise<boolean> {
  for (const base of bases) {
    const rules = await github.readBranchRules(base);
    if (rules.rules.some((r) => r.kind === "checks" && r.checks.some((c) => c.context === name)))
      return true;
  }
  return false;
}

/**
 * Whether GitHub requires its merge queue for a merge by hotfix-bot: a `merge_queue` rule of a
 * ruleset it may not bypass (a bypass GitHub does not report is not assumed).
 */
export function queueRequired(rules: BranchRules | null): boolean {
  return (rules?.rules ?? []).some(
    (r) =>
      r.kind === "merge-queue" && !["always", "pull_requests_only", "exempt"].includes(r.bypass),
  );
}
