/**
 * The names hotfix-bot gives what it creates on GitHub, all deterministic: a rerun after a crash
 * finds what an earlier run made (a backport branch and its PR, a revert branch, a temporary
 * branch left mid-way) by its name, instead of making a second one or losing track of it.
 */

/** The branch of the backport of PR `pr` to `target`: `backport/12-to-release/1.3`. */
export const backportBranch = (pr: number, target: string) => `${backportPrefix(pr)}${target}`;

/** All backport branches of one PR start with this (the `-to-` keeps #12 apart from #123). */
export const backportPrefix = (pr: number) => `backport/${pr}-to-`;

/** The target a backport branch of `pr` names, or null when it is not one. */
export function backportTargetOf(pr: number, branch: string): string | null {
  const prefix = backportPrefix(pr);
  return branch.startsWith(prefix) && branch.length > prefix.length
    ? branch.slice(prefix.length)
    : null;
}

/** The branch of the PR reverting a hotfix: `hotfix-bot/revert-v1.4.3`. */
export const revertBranch = (tag: string) => `hotfix-bot/revert-${tag}`;

/** Temporary branches live here; the sweep deletes those older than an hour. */
export const TEMP_BRANCH_PREFIX = "hotfix-bot/tmp/";

/**
 * The temporary branch of a cherry-pick of `commitSha` (the first commit carried) from PR `pr`
 * onto `target`: the same on every rerun, so a rerun reuses (force-moves) a branch a crashed run
 * left behind rather than leaving it forever.
 */
export const backportTempBranch = (pr: number, target: string, commitSha: string) =>
  `${TEMP_BRANCH_PREFIX}backport-${pr}-to-${target}-${commitSha.slice(0, 12)}`;

/** The temporary branch of the revert of `tag`'s commit. */
export const revertTempBranch = (tag: string, commitSha: string) =>
  `${TEMP_BRANCH_PREFIX}revert-${tag}-${commitSha.slice(0, 12)}`;
