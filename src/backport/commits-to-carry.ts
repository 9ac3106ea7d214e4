import type { GitData } from "../github/port/git.js";
import { selectCommits, type Selection } from "./select-commits.js";

/**
 * Gather what `selectCommits` needs — the PR's commits, and as many commits of the base ending
 * at the merge commit — and decide. Two requests for PRs under 100 commits.
 */
export async function commitsToCarry(
  github: Pick<GitData, "listCommits" | "listPullCommits">,
  pull: { number: number; merged: boolean; mergeCommitSha: string | null },
): Promise<Selection> {
  if (!pull.merged || !pull.mergeCommitSha)
    return selectCommits({ pull, pullCommits: [], baseCommits: [] });
  const pullCommits = await github.listPullCommits(pull.number);
  const baseCommits = await github.listCommits(
    pull.mergeCommitSha,
    Math.max(1, pullCommits.length),
  );
  return selectCommits({ pull, pullCommits, baseCommits });
}
