/**
 * A PR reverting the hotfix on its base branch, made through GitHub's API (no clone) the way
 * `git revert -m 1` would: commit R = the hotfix commit C's first parent's tree on top of C
 * (the change undone, as a commit), then GitHub's merge of R into a temporary branch at the
 * base head H. The hotfix is in H's history, so the merge base is C and the merge applies
 * exactly "undo C" to H's tree (409 = conflict: later commits touched the same lines). The
 * result becomes one commit on H, on the branch `hotfix-bot/revert-<tag>`, and a PR.
 *
 * Safe to repeat: an existing revert branch is reused and its PR found instead of a second one;
 * the temporary branch has a deterministic name, so one a crashed run left is reused, and it is
 * deleted in `finally`. The PR's attributes (assignee, the link to the hotfix) are made sure of
 * whether it was opened now or before. Requests: 13, 8 of them writes.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { isGitHubError } from "../github/errors.js";
import { revertBranch, revertTempBranch } from "../record/names.js";
import { ensurePullAttributes } from "../backport/pull-attributes.js";
import { ROLLBACK_COMMAND } from "../commands/names.js";

export type RevertOutcome =
  { ok: true; number: number; url: string; reused: boolean } | { ok: false; reason: string };

export interface RevertInput {
  pr: number;
  /** The hotfix PR's page, linked from the revert PR. */
  prUrl: string;
  title: string;
  tag: string;
  mergeSha: string;
  base: string;
  /** Who asked for the rollback: assigned to the revert PR. */
  actor: string;
}

export async function openRevertPull(
  github: GitHubPort,
  input: RevertInput,
): Promise<RevertOutcome> {
  const branch = revertBranch(input.tag);
  const short = input.mergeSha.slice(0, 7);
  const manual = `Revert it by hand: \`git revert -m 1 ${short}\` on \`${input.base}\`.`;
  const link = `<sub>Opened by hotfix-bot for the rollback of ${input.prUrl}</sub>`;
  const title = `Revert "${input.title}" (${input.tag})`;
  const body = [
    `Reverts hotfix #${input.pr} (\`${input.tag}\`, commit ${input.mergeSha}) on \`${input.base}\`: production was rolled back with \`${ROLLBACK_COMMAND}\`.`,
    "",
    "Review it like any change; merging it is up to you.",
    "",
    link,
  ].join("\n");
  const wanted = { labels: [], assignees: [input.actor], reviewers: [], bodyLink: link };

  try {
    const found = await github.findPullByHead(branch, "all");
    if (found) {
      if (found.state === "open") await ensurePullAttributes(github, found, wanted);
      return { ok: true, number: found.number, url: found.htmlUrl, reused: true };
    }
    if (!(await github.getBranchHead(branch))) {
      const made = await makeRevertBranch(github, input, branch, manual);
      if (!made.ok) return made;
    }
    const created = await github.createPull({ head: branch, base: input.base, title, body });
    if (!created.created) {
      return {
        ok: false,
        reason: `GitHub did not open the revert PR from \`${branch}\`: ${created.reason}`,
      };
    }
    await ensurePullAttributes(github, created.pull, wanted, { justOpened: true });
    return ok(created.pull);
  } catch (error) {
    // The rollback itself stands; the revert PR is retried by the next rollback command.
    if (!isGitHubError(error)) throw error;
    return {
      ok: false,
      reason: `GitHub answered ${error.status} to ${error.route}: ${error.message}. Comment \`${ROLLBACK_COMMAND}\` again to retry, or ${manual.charAt(0).toLowerCase()}${manual.slice(1)}`,
    };
  }
}

const ok = (pull: PullRequest): RevertOutcome => ({
  ok: true,
  number: pull.number,
  url: pull.htmlUrl,
  reused: false,
});

async function makeRevertBranch(
  github: GitHubPort,
  input: RevertInput,
  branch: string,
  manual: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const short = input.mergeSha.slice(0, 7);
  const temp = revertTempBranch(input.tag, input.mergeSha);
  let tempExists = false;
  try {
    const hotfix = await github.getCommit(input.mergeSha);
    const parentSha = hotfix?.parentShas[0];
    if (!hotfix || !parentSha) {
      return {
        ok: false,
        reason: `the hotfix commit ${short} was not found or has no parent. ${manual}`,
      };
    }
    const parent = await github.getCommit(parentSha);
    const head = await github.getBranchHead(input.base);
    if (!parent || !head) {
      return {
        ok: false,
        reason: `\`${input.base}\` or the hotfix's parent commit is missing. ${manual}`,
      };
    }
    const message = `Revert "${firstLine(hotfix.message)}"\n\nThis reverts commit ${hotfix.sha}.\n\nRolled back from production: hotfix #${input.pr} (${input.tag}).`;
    const undo = await github.createCommit({
      message,
      treeSha: parent.treeSha,
      parentShas: [hotfix.sha],
    });
    tempExists = true;
    if ((await github.createBranch(temp, head.sha)) === "exists") {
      // Left by a run that crashed: ours, so it may be moved.
      const moved = await github.moveBranch(temp, head.sha, { force: true });
      if (!moved.moved) return { ok: false, reason: `${moved.reason}. ${manual}` };
    }
    const merged = await github.merge({
      base: temp,
      head: undo.sha,
      message: `[skip ci] hotfix-bot: temporary merge to revert ${short}`,
    });
    if (merged.kind === "conflict") {
      return {
        ok: false,
        reason: `reverting ${short} conflicts with later changes on \`${input.base}\`. ${manual}`,
      };
    }
    if (merged.kind === "up-to-date" || merged.treeSha === head.treeSha) {
      return {
        ok: false,
        reason: `\`${input.base}\` no longer contains the hotfix's changes; nothing to revert.`,
      };
    }
    const revert = await github.createCommit({
      message,
      treeSha: merged.treeSha,
      parentShas: [head.sha],
    });
    await github.createBranch(branch, revert.sha);
    return { ok: true };
  } catch (error) {
    if (!isGitHubError(error)) throw error;
    return {
      ok: false,
      reason: `GitHub answered ${error.status} to ${error.route}: ${error.message}. ${manual}`,
    };
  } finally {
    if (tempExists) await github.deleteBranch(temp).catch(() => undefined);
  }
}

function firstLine(message: string): string {
  return (message.split("\n", 1)[0] ?? "").trim();
}
