/**
 * Cherry-pick commits onto another branch entirely through GitHub's REST API, no clone.
 *
 * For each commit C, onto the backport head H (the target's head at first), the sibling-commit
 * technique (tibdex/github-cherry-pick):
 *   1. a temporary commit S with H's tree and C's parent (so S differs from C^1 exactly as H does);
 *   2. the temporary branch is pointed at S (created for the first commit, force-moved after;
 *      its name is deterministic, so one a crashed run left behind is found and reused);
 *   3. `POST /merges` C into it: git's 3-way merge of C^1 → S and C^1 → C, i.e. exactly C's diff
 *      applied to H's tree (409 = conflict);
 *   4. the real commit: the merged tree, parent H, C's author, C's message plus `-x` trailer.
 * A merged tree equal to H's changes nothing: C is already on the target, and is skipped.
 * Then the backport branch is created at the last commit — or, if it exists, left alone when it
 * already holds that tree, else moved without force so a concurrent push fails safely. The
 * temporary branch is deleted in `finally`, whatever happened.
 *
 * Requests: 1 (target head) + 4 per picked commit + 1 (branch) + 1 (temporary branch delete)
 * = 4N + 3. Every write waits on the pacer first.
 */
import { isGitHubError } from "../github/errors.js";
import type { CommitInfo, GitData } from "../github/port/git.js";
import { draftConflict, type ConflictFile } from "./conflicts.js";
import { manualSteps } from "./manual-steps.js";
import { createWritePacer, type WritePacer } from "./pace-writes.js";
import { cherryPickMessage, shortSha } from "./pick-message.js";
import { commitFields } from "./signed-commit.js";

export interface CherryPickOptions {
  /** The commits to carry, oldest first (from `selectCommits`). */
  commits: readonly CommitInfo[];
  /** The target branch. */
  onto: string;
  /** The backport branch to create, e.g. `backport/123-to-release/1.x`. */
  branch: string;
  /**
   * The temporary branch (`backportTempBranch`): deterministic, so a rerun after a crash reuses
   * what the crashed run left behind. Only the hotfix's lock holder uses it.
   */
  temp: string;
  /** Paces writes against GitHub's secondary rate limit; share one per installation. */
  pacer?: WritePacer;
  /**
   * On a conflict, commit the files with markers on `branch` for a draft PR (default true).
   * false: only name the conflicting files (policy `backport.on_conflict: comment`).
   */
  draftConflicts?: boolean;
  /**
   * Create the commits so that GitHub signs them (`backport.signed`): no custom author or
   * committer, the original author as a `Co-authored-by:` trailer (`signed-commit.ts`).
   */
  signed?: boolean;
}

export interface PickedCommit {
  /** The commit that was carried. */
  source: string;
  /** Its copy on the backport branch. */
  sha: string;
}

export interface SkippedCommit {
  source: string;
  reason: string;
}

interface Outcome {
  reason: string;
  /** Things that went wrong without changing the outcome (e.g. a temporary branch left behind). */
  warnings: string[];
}

export type CherryPickResult =
  | (Outcome & {
      kind: "picked";
      branch: string;
      head: string;
      /** `existing`: the branch already held this exact tree (a re-run); it was not touched. */
      branchState: "created" | "updated" | "existing";
      commits: PickedCommit[];
      skipped: SkippedCommit[];
    })
  | (Outcome & { kind: "already-present"; skipped: SkippedCommit[] })
  | (Outcome & {
      kind: "conflict";
      /** The commit that did not apply. */
      commit: CommitInfo;
      files: ConflictFile[];
      /** Commits applied before the conflict (part of the draft's history when there is one). */
      picked: PickedCommit[];
      /** The branch holding the commit with conflict markers, for a draft PR; null if none. */
      draft: { branch: string; head: string } | null;
      manualSteps: string[];
    })
  | (Outcome & { kind: "failed"; manualSteps: string[] });

export async function cherryPick(
  github: GitData,
  options: CherryPickOptions,
): Promise<CherryPickResult> {
  const { commits, onto, branch } = options;
  const pacer = options.pacer ?? createWritePacer();
  const temp = options.temp;
  const steps = (draftPushed = false) =>
    manualSteps({ onto, branch, commits: commits.map((c) => c.sha), draftPushed });
  // Results share this array, so a cleanup problem found in `finally` still reaches the caller.
  const warnings: string[] = [];
  const write = async <T>(call: () => Promise<T>): Promise<T> => {
    await pacer.beforeWrite();
    return call();
  };

  const invalid = checkCommits(commits);
  if (invalid) return { kind: "failed", reason: invalid, warnings, manualSteps: steps() };

  let tempExists = false;
  try {
    const target = await github.getBranchHead(onto);
    if (!target) {
      return {
        kind: "failed",
        reason: `The target branch ${onto} does not exist.`,
        warnings,
        manualSteps: [],
      };
    }
    let head = target.sha;
    let tree = target.treeSha;
    const picked: PickedCommit[] = [];
    const skipped: SkippedCommit[] = [];

    for (const commit of commits) {
      const short = shortSha(commit.sha);
      const sibling = await write(() =>
        github.createCommit({
          message: `[skip ci] hotfix-bot: temporary commit to cherry-pick ${commit.sha} onto ${onto} (safe to delete)`,
          treeSha: tree,
          parentShas: [commit.parentShas[0] as string],
        }),
      );
      // Created for the first commit; moved (forced: it is ours) for the next ones, or when a
      // crashed run left it behind.
      const placed = tempExists
        ? "exists"
        : await write(() => github.createBranch(temp, sibling.sha));
      tempExists = true;
      if (placed === "exists") {
        const moved = await write(() => github.moveBranch(temp, sibling.sha, { force: true }));
        if (!moved.moved)
          throw new Error(`could not move the temporary branch ${temp}: ${moved.reason}`);
      }
      const merged = await write(() =>
        github.merge({
          base: temp,
          head: commit.sha,
          message: `[skip ci] hotfix-bot: temporary merge of ${short}`,
        }),
      );
      if (merged.kind === "up-to-date")
        throw new Error(`GitHub found nothing to merge for ${short}`);
      if (merged.kind === "conflict") {
        return await reportConflict(github, {
          commit,
          head,
          tree,
          onto,
          branch,
          pacer,
          picked,
          warnings,
          steps,
          options,
        });
      }
      if (merged.treeSha === tree) {
        skipped.push({
          source: commit.sha,
          reason: `${short} is already on ${onto}: applying it changes nothing.`,
        });
        continue;
      }
      const copy = await write(() =>
        github.createCommit({
          ...commitFields(
            cherryPickMessage(commit.message, commit.sha),
            commit.author,
            options.signed === true,
          ),
          treeSha: merged.treeSha,
          parentShas: [head],
        }),
      );
      picked.push({ source: commit.sha, sha: copy.sha });
      head = copy.sha;
      tree = merged.treeSha;
    }

    if (picked.length === 0) {
      return {
        kind: "already-present",
        skipped,
        warnings,
        reason: `${commits.length === 1 ? "The change is" : `All ${commits.length} commits are`} already on ${onto}; there is nothing to backport.`,
      };
    }
    const placed = await placeBranch(github, write, branch, head, tree);
    if (placed.state === "refused") {
      return { kind: "failed", reason: placed.reason, warnings, manualSteps: steps() };
    }
    const skippedNote = skipped.length > 0 ? ` (${skipped.length} already on ${onto})` : "";
    return {
      kind: "picked",
      branch,
      head: placed.head,
      branchState: placed.state,
      commits: picked,
      skipped,
      warnings,
      reason:
        placed.state === "existing"
          ? `${branch} already holds this backport; left it as it is.`
          : `Cherry-picked ${picked.length} commit${picked.length === 1 ? "" : "s"} onto ${onto} as ${branch}${skippedNote}.`,
    };
  } catch (error) {
    return {
      kind: "failed",
      reason: `The backport to ${onto} stopped: ${describe(error)}.`,
      warnings,
      manualSteps: steps(),
    };
  } finally {
    // Tried twice; one left behind anyway is reused by the next run, or deleted by the sweep.
    for (let attempt = 1; tempExists && attempt <= 2; attempt++) {
      try {
        await write(() => github.deleteBranch(temp));
        tempExists = false;
      } catch (error) {
        if (attempt === 2) {
          warnings.push(
            `The temporary branch ${temp} could not be deleted (${describe(error)}); delete it by hand.`,
          );
        }
      }
    }
  }
}

function checkCommits(commits: readonly CommitInfo[]): string | null {
  if (commits.length === 0) return "There are no commits to backport.";
  for (const commit of commits) {
    if (commit.parentShas.length === 0) {
      return `${shortSha(commit.sha)} is a root commit; it cannot be cherry-picked.`;
    }
    if (commit.parentShas.length > 1) {
      return `${shortSha(commit.sha)} is a merge commit; cherry-pick it by hand with \`git cherry-pick -m 1 -x\`.`;
    }
  }
  return null;
}

type Placed =
  | { state: "created" | "updated" | "existing"; head: string }
  | { state: "refused"; reason: string };

async function placeBranch(
  github: GitData,
  write: <T>(call: () => Promise<T>) => Promise<T>,
  branch: string,
  head: string,
  tree: string,
): Promise<Placed> {
  if ((await write(() => github.createBranch(branch, head))) === "created")
    return { state: "created", head };
  const existing = await github.getBranchHead(branch);
  if (existing && existing.treeSha === tree) return { state: "existing", head: existing.sha };
  // Without force: GitHub refuses unless `head` contains what the branch holds now, so commits
  // someone pushed there (even a moment ago) are never thrown away.
  const moved = await write(() => github.moveBranch(branch, head, { force: false }));
  if (moved.moved) return { state: "updated", head };
  return {
    state: "refused",
    reason: `${branch} already exists with commits this backport does not contain; it was left untouched (${moved.reason}). Delete it or finish the backport there by hand.`,
  };
}

async function reportConflict(
  github: GitData,
  context: {
    commit: CommitInfo;
    head: string;
    tree: string;
    onto: string;
    branch: string;
    pacer: WritePacer;
    picked: PickedCommit[];
    warnings: string[];
    steps: (draftPushed?: boolean) => string[];
    options: CherryPickOptions;
  },
): Promise<CherryPickResult> {
  const { commit, onto, branch, picked, warnings, steps } = context;
  const base = { kind: "conflict" as const, commit, picked, warnings };
  const analysis = await draftConflict(github, {
    commit,
    head: { sha: context.head, treeSha: context.tree },
    onto,
    pacer: context.pacer,
    draft: context.options.draftConflicts !== false,
    signed: context.options.signed === true,
  });
  if (!analysis.draft) {
    return {
      ...base,
      files: analysis.files,
      draft: null,
      manualSteps: steps(),
      reason: analysis.reason,
    };
  }
  const write = async <T>(call: () => Promise<T>) => {
    await context.pacer.beforeWrite();
    return call();
  };
  const placed = await placeBranch(
    github,
    write,
    branch,
    analysis.draft.sha,
    analysis.draft.treeSha,
  );
  if (placed.state === "refused") {
    return {
      ...base,
      files: analysis.files,
      draft: null,
      manualSteps: steps(),
      reason: `${analysis.reason} ${placed.reason}`,
    };
  }
  return {
    ...base,
    files: analysis.files,
    draft: { branch, head: placed.head },
    manualSteps: steps(true),
    reason: `${analysis.reason} Resolve them on ${branch}, or redo the backport locally.`,
  };
}

function describe(error: unknown): string {
  if (isGitHubError(error))
    return `GitHub answered ${error.status} to ${error.route}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
