/**
 * A PR reverting the hotfix on its base branch, made through GitHub's API (no clone) the way
 * `git revert -m 1` would: commit R = the hotfix commit C's first parent's tree on top of C
 * (the change undone, as a commit), then GitHub's merge of R into a temporary branch at the
 * base head H. The hotfix is in H's history, so the merge base is C and the merge applies
 * exactly "undo C" to H's tree (409 = conflict: later commits touched the same lines). The
 * result becomes one commit on H, on the branch `hotfix-bot/revert-<tag>`, and a PR.
 *
 * Safe to repeat: an existing revert branch is reused and its open PR found instead of a second
 * one. The temporary branch is deleted in `finally`. Requests: 12, 7 of them writes.
 */
import { randomBytes } from "node:crypto";
import type { GitHubPort } from "../github/port.js";
import { isGitHubError } from "../github/errors.js";

export type RevertOutcome =
  { ok: true; number: number; url: string; reused: boolean } | { ok: false; reason: string };

export const revertBranchOf = (tag: string) => `hotfix-bot/revert-${tag}`;

export async function openRevertPull(
  github: GitHubPort,
  input: { pr: number; title: string; tag: string; mergeSha: string; base: string },
  random: () => string = () => randomBytes(4).toString("hex"),
): Promise<RevertOutcome> {
  const branch = revertBranchOf(input.tag);
  const short = input.mergeSha.slice(0, 7);
  const manual = `Revert it by hand: \`git revert -m 1 ${short}\` on \`${input.base}\`.`;
  const title = `Revert "${input.title}" (${input.tag})`;
  const body = [
    `Reverts hotfix #${input.pr} (\`${input.tag}\`, commit ${input.mergeSha}) on \`${input.base}\`: production was rolled back with \`/rollback-hotfix\`.`,
    "",
    "Opened by hotfix-bot. Review it like any change; merging it is up to you.",
  ].join("\n");

  const existing = await github.getBranchHead(branch);
  if (existing) return openPull(github, { branch, base: input.base, title, body });

  let temp: string | null = null;
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
    temp = `hotfix-bot/tmp/revert-${input.tag}-${random()}`;
    if ((await github.createBranch(temp, head.sha)) === "exists") {
      temp = null;
      return { ok: false, reason: `a temporary branch name was taken; try again. ${manual}` };
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
  } catch (error) {
    if (!isGitHubError(error)) throw error;
    return {
      ok: false,
      reason: `GitHub answered ${error.status} to ${error.route}: ${error.message}. ${manual}`,
    };
  } finally {
    if (temp) await github.deleteBranch(temp).catch(() => undefined);
  }
  return openPull(github, { branch, base: input.base, title, body });
}

async function openPull(
  github: GitHubPort,
  input: { branch: string; base: string; title: string; body: string },
): Promise<RevertOutcome> {
  const open = await github.findOpenPullByHead(input.branch);
  if (open) return { ok: true, number: open.number, url: open.htmlUrl, reused: true };
  const created = await github.createPull({
    head: input.branch,
    base: input.base,
    title: input.title,
    body: input.body,
  });
  if (!created.created) {
    return {
      ok: false,
      reason: `GitHub did not open the revert PR from \`${input.branch}\`: ${created.reason}`,
    };
  }
  return { ok: true, number: created.pull.number, url: created.pull.htmlUrl, reused: false };
}

function firstLine(message: string): string {
  return (message.split("\n", 1)[0] ?? "").trim();
}
