/**
 * Which commits a backport carries, decided from API data alone (pure).
 *
 * GitHub does not say how a pull request was merged, but the merge commit and the PR's commits
 * tell it:
 *
 * 1. `merge_commit_sha` has two or more parents → **merge commit**. Carry the PR's own commits,
 *    oldest first. Merge commits inside the PR (e.g. "Merge main into feature") are left out:
 *    what they bring in is already on the base branch, and `cherry-pick` cannot take them
 *    without `-m`.
 * 2. One parent, and the N commits ending at `merge_commit_sha` on the base (N = the PR's commit
 *    count) form a single-parent chain that matches the PR's commits one by one — same author
 *    name, email and author date, same message → **rebase merge**. Rebasing rewrites the
 *    committer and the parents but keeps those. Carry the rebased commits (the ones on the base,
 *    oldest first), not the PR's: they are what the base branch actually received.
 * 3. Otherwise → **squash merge**: carry `merge_commit_sha` alone.
 *
 * With one commit, 2 and 3 both carry `merge_commit_sha`, so telling them apart does not matter.
 */
import type { CommitInfo } from "../github/port/git.js";

export type MergeMethod = "merge" | "rebase" | "squash";

export interface SelectionInput {
  pull: { number: number; merged: boolean; mergeCommitSha: string | null };
  /** The PR's commits, oldest first (GET /pulls/{n}/commits). */
  pullCommits: readonly CommitInfo[];
  /**
   * Commits of the base reachable from `merge_commit_sha`, newest first, starting with the merge
   * commit itself and at least as many as the PR has commits (GET /commits?sha=…&per_page=N).
   */
  baseCommits: readonly CommitInfo[];
}

export type Selection =
  | { kind: "carry"; method: MergeMethod; commits: CommitInfo[]; reason: string }
  | { kind: "refuse"; reason: string };

const short = (sha: string) => sha.slice(0, 7);

function sameChange(a: CommitInfo, b: CommitInfo): boolean {
  if (!a.author || !b.author) return false;
  return (
    a.author.name === b.author.name &&
    a.author.email === b.author.email &&
    Date.parse(a.author.date) === Date.parse(b.author.date) &&
    a.message.trimEnd() === b.message.trimEnd()
  );
}

export function selectCommits(input: SelectionInput): Selection {
  const { pull, pullCommits, baseCommits } = input;
  if (!pull.merged || !pull.mergeCommitSha) {
    return {
      kind: "refuse",
      reason: `#${pull.number} is not merged, so there is nothing to backport yet.`,
    };
  }
  const mergeSha = pull.mergeCommitSha;
  const mergeCommit = baseCommits[0];
  if (!mergeCommit || mergeCommit.sha !== mergeSha) {
    return {
      kind: "refuse",
      reason: `The merge commit ${short(mergeSha)} of #${pull.number} could not be read from the base branch.`,
    };
  }

  if (mergeCommit.parentShas.length >= 2) {
    const own = pullCommits.filter((c) => c.parentShas.length === 1);
    const skipped = pullCommits.length - own.length;
    if (own.length === 0) {
      return {
        kind: "refuse",
        reason: `#${pull.number} was merged with a merge commit, but all of its commits are merges; there is no change of its own to carry.`,
      };
    }
    const note =
      skipped > 0
        ? ` (leaving out ${skipped} merge commit${skipped === 1 ? "" : "s"} inside the PR)`
        : "";
    return {
      kind: "carry",
      method: "merge",
      commits: [...own],
      reason: `#${pull.number} was merged with a merge commit (${short(mergeSha)} has ${mergeCommit.parentShas.length} parents): carrying its ${own.length} commit${own.length === 1 ? "" : "s"}${note}.`,
    };
  }

  const n = pullCommits.length;
  if (n > 1 && baseCommits.length >= n) {
    const chain = baseCommits.slice(0, n);
    const linear = chain.every((c, i) => {
      const next = chain[i + 1];
      return c.parentShas.length === 1 && (next === undefined || c.parentShas[0] === next.sha);
    });
    const oldestFirst = [...chain].reverse();
    if (linear && oldestFirst.every((c, i) => sameChange(c, pullCommits[i] as CommitInfo))) {
      return {
        kind: "carry",
        method: "rebase",
        commits: oldestFirst,
        reason: `#${pull.number} was rebase-merged: carrying the ${n} rebased commits ending at ${short(mergeSha)}.`,
      };
    }
  }

  return {
    kind: "carry",
    method: "squash",
    commits: [mergeCommit],
    reason:
      n > 1
        ? `#${pull.number} was squash-merged: carrying the squash commit ${short(mergeSha)}.`
        : `#${pull.number} landed as the single commit ${short(mergeSha)}: carrying it.`,
  };
}
