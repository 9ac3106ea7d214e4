/**
 * Carries a merged PR to other branches and opens one backport PR per target — through
 * GitHub's API, no clone. Each target ends in one of: a PR (linked if it already exists), a
 * draft PR with the conflicts committed as markers, "already on <branch>", or a failure that
 * says what to do; every outcome is a line in the PR's tracking comment. Safe to repeat: a
 * target the tracking comment already links is not redone, an existing branch holding the same
 * tree is reused, and GitHub's "a PR already exists" (422) is answered by linking that PR.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { CommitInfo } from "../github/port/git.js";
import type { Policy } from "../policy/schema.js";
import type { Tracking } from "../tracking/tracking-comment.js";
import { setStage } from "../tracking/state.js";
import { cherryPick, type CherryPickResult } from "./cherry-pick.js";
import { commitsToCarry } from "./commits-to-carry.js";
import { createWritePacer, type WritePacer } from "./pace-writes.js";
import { shortSha, subjectOf } from "./pick-message.js";
import { countBackport } from "../observability/metrics.js";

export const CONFLICT_LABEL = "backport-conflict";

export interface BackportRequest {
  pull: PullRequest;
  targets: readonly string[];
  policy: Policy;
  tracking: Tracking;
  /** The release this fix shipped in, linked from the backport PRs. */
  release?: { tag: string; url?: string | undefined } | undefined;
  /** When hotfix-bot merged the PR itself it knows how, and skips inferring it (one request less). */
  mergeMethod?: "squash" | "merge" | "rebase" | undefined;
  pacer?: WritePacer;
  now?: () => Date;
}

export interface BackportOutcome {
  target: string;
  kind: "opened" | "linked" | "conflict-draft" | "conflict-comment" | "already-present" | "failed";
  text: string;
  link?: string;
}

/** One pacer per account: concurrent backports in one installation share GitHub's write budget. */
const pacers = new Map<string, WritePacer>();
function pacerFor(owner: string): WritePacer {
  let pacer = pacers.get(owner);
  if (!pacer) pacers.set(owner, (pacer = createWritePacer()));
  return pacer;
}

export const backportBranch = (pr: number, target: string) => `backport/${pr}-to-${target}`;

export async function openBackports(
  github: GitHubPort,
  request: BackportRequest,
): Promise<BackportOutcome[]> {
  const { pull, tracking } = request;
  const at = () => (request.now ?? (() => new Date()))().toISOString();
  const todo = request.targets.filter((t) => {
    const stage = tracking.state.stages[`backport:${t}`];
    return !(stage && (stage.state === "done" || stage.state === "pending") && stage.link);
  });
  if (todo.length === 0) return [];

  const commits = await selectForBackport(github, pull, request.mergeMethod);
  if (!Array.isArray(commits)) {
    for (const target of todo) {
      await tracking.update((s) =>
        setStage(s, `backport:${target}`, { state: "failed", text: commits.reason, at: at() }),
      );
    }
    return todo.map((target) => ({ target, kind: "failed", text: commits.reason }));
  }

  const outcomes: BackportOutcome[] = [];
  for (const target of todo) {
    await tracking.update((s) =>
      setStage(s, `backport:${target}`, { state: "running", text: "cherry-picking…", at: at() }),
    );
    let outcome: BackportOutcome;
    try {
      outcome = await backportOne(github, request, commits, target);
    } catch (error) {
      outcome = {
        target,
        kind: "failed",
        text: `${(error as Error).message}. Comment \`/backport ${target}\` to retry; finished work is reused.`,
      };
    }
    outcomes.push(outcome);
    countBackport(outcome.kind);
    const state =
      outcome.kind === "failed"
        ? "failed"
        : outcome.kind.startsWith("conflict")
          ? "pending"
          : "done";
    await tracking.update((s) =>
      setStage(s, `backport:${target}`, {
        state,
        text: outcome.text,
        ...(outcome.link ? { link: outcome.link } : {}),
        at: at(),
      }),
    );
  }
  return outcomes;
}

async function selectForBackport(
  github: GitHubPort,
  pull: PullRequest,
  method: BackportRequest["mergeMethod"],
): Promise<CommitInfo[] | { reason: string }> {
  if (method === "squash" && pull.mergeCommitSha) {
    const commit = await github.getCommit(pull.mergeCommitSha);
    return commit
      ? [commit]
      : { reason: `the merge commit ${shortSha(pull.mergeCommitSha)} is not readable` };
  }
  const selection = await commitsToCarry(github, pull);
  return selection.kind === "carry" ? selection.commits : { reason: selection.reason };
}

async function backportOne(
  github: GitHubPort,
  request: BackportRequest,
  commits: CommitInfo[],
  target: string,
): Promise<BackportOutcome> {
  const { pull, policy } = request;
  const branch = backportBranch(pull.number, target);
  const drafts = policy.backport.on_conflict === "draft";
  const result = await cherryPick(github, {
    commits,
    onto: target,
    branch,
    label: pull.number,
    draftConflicts: drafts,
    pacer: request.pacer ?? pacerFor(github.repo.owner),
  });
  const outcome = await settle(github, request, target, branch, drafts, result);
  // Something that went wrong on the side (a temporary branch that could not be deleted) is
  // said, so a person can clean it up.
  return result.warnings.length
    ? { ...outcome, text: `${outcome.text} (note: ${result.warnings.join("; ")})` }
    : outcome;
}

async function settle(
  github: GitHubPort,
  request: BackportRequest,
  target: string,
  branch: string,
  drafts: boolean,
  result: CherryPickResult,
): Promise<BackportOutcome> {
  const { pull } = request;
  switch (result.kind) {
    case "already-present":
      return {
        target,
        kind: "already-present",
        text: `already on \`${target}\`: ${result.reason}`,
      };
    case "failed":
      return {
        target,
        kind: "failed",
        text: `${result.reason}${result.manualSteps.length ? ` To do it by hand: \`${result.manualSteps.join(" && ")}\`` : ""}`,
      };
    case "picked": {
      const opened = await ensurePull(github, request, target, branch, result, false);
      return {
        target,
        kind: opened.created ? "opened" : "linked",
        text: `#${opened.number}${result.skipped.length ? ` (${result.skipped.length} commit${result.skipped.length === 1 ? "" : "s"} already on \`${target}\`)` : ""}`,
        link: opened.url,
      };
    }
    case "conflict": {
      if (result.draft) {
        const opened = await ensurePull(github, request, target, branch, result, true);
        return {
          target,
          kind: "conflict-draft",
          text: `conflicts in ${result.files.map((f) => `\`${f.path}\``).join(", ")}: draft #${opened.number} needs a human`,
          link: opened.url,
        };
      }
      const comment = await github.createComment(
        pull.number,
        conflictComment(pull, target, result, drafts),
      );
      await github.addLabels(pull.number, [CONFLICT_LABEL]);
      return {
        target,
        kind: "conflict-comment",
        text: `conflicts in ${result.files.map((f) => `\`${f.path}\``).join(", ")}: finish by hand (see comment)`,
        link: comment.url,
      };
    }
  }
}

async function ensurePull(
  github: GitHubPort,
  request: BackportRequest,
  target: string,
  branch: string,
  result: Extract<CherryPickResult, { kind: "picked" | "conflict" }>,
  draft: boolean,
): Promise<{ number: number; url: string; created: boolean }> {
  const { pull, policy } = request;
  const own = new Set([...policy.hotfix.labels.map((l) => l.toLowerCase())]);
  const labels = [
    ...pull.labels.filter((l) => !own.has(l.toLowerCase()) && !/^backport/i.test(l)),
    ...(draft ? [CONFLICT_LABEL] : []),
  ];
  const assignees = pull.author.isBot ? [] : [pull.author.login];
  // The run that opened it may have stopped before its one labels-and-assignee write: missing
  // labels tell, and that write (then the reviewers) is made again.
  const link = async (found: PullRequest) => {
    const missing = labels.filter(
      (l) => !found.labels.some((has) => has.toLowerCase() === l.toLowerCase()),
    );
    if (missing.length) {
      await github.updateIssue(found.number, {
        labels: [...found.labels, ...missing],
        ...(assignees.length ? { assignees } : {}),
      });
      if (policy.backport.reviewers.length)
        await github.requestReviewers(found.number, policy.backport.reviewers);
    }
    return { number: found.number, url: found.htmlUrl, created: false };
  };
  const existing =
    result.kind === "picked" && result.branchState !== "created"
      ? await github.findOpenPullByHead(branch)
      : null;
  if (existing) return link(existing);
  const created = await github.createPull({
    head: branch,
    base: target,
    title: `[Backport ${target}] ${pull.title}`,
    body: backportBody(pull, target, result, request.release),
    ...(draft ? { draft: true } : {}),
  });
  if (!created.created) {
    // 422: most often "A pull request already exists" (a concurrent run): link it.
    const raced = await github.findOpenPullByHead(branch);
    if (raced) return link(raced);
    throw new Error(`GitHub refused to open the backport PR from ${branch}: ${created.reason}`);
  }
  if (labels.length || assignees.length) {
    await github.updateIssue(created.pull.number, {
      ...(labels.length ? { labels } : {}),
      ...(assignees.length ? { assignees } : {}),
    });
  }
  if (policy.backport.reviewers.length)
    await github.requestReviewers(created.pull.number, policy.backport.reviewers);
  return { number: created.pull.number, url: created.pull.htmlUrl, created: true };
}

function backportBody(
  pull: PullRequest,
  target: string,
  result: Extract<CherryPickResult, { kind: "picked" | "conflict" }>,
  release: BackportRequest["release"],
): string {
  const lines = [
    `Backport of #${pull.number} to \`${target}\`${release ? `, released in ${release.url ? `[${release.tag}](${release.url})` : release.tag}` : ""}.`,
    "",
  ];
  const picked = result.kind === "picked" ? result.commits : result.picked;
  if (picked.length) {
    lines.push(
      "Commits:",
      ...picked.map((c) => `- ${shortSha(c.source)} → ${shortSha(c.sha)}`),
      "",
    );
  }
  if (result.kind === "conflict") {
    lines.push(
      `> [!WARNING]`,
      `> **${shortSha(result.commit.sha)} ${subjectOf(result.commit.message)}** did not apply cleanly. This draft carries it with conflict markers in:`,
      ...result.files.map((f) => `> - \`${f.path}\` — ${f.reason}`),
      `>`,
      `> Resolve the markers in GitHub's editor or locally, then mark the PR ready for review. To redo it locally:`,
      "",
      "```sh",
      ...result.manualSteps,
      "```",
    );
  }
  lines.push("", `<sub>Opened by hotfix-bot. The original PR: ${pull.htmlUrl}</sub>`);
  return lines.join("\n");
}

function conflictComment(
  pull: PullRequest,
  target: string,
  result: Extract<CherryPickResult, { kind: "conflict" }>,
  draftsWanted: boolean,
): string {
  return [
    `### Backport to \`${target}\` needs a human`,
    "",
    `**${shortSha(result.commit.sha)} ${subjectOf(result.commit.message)}** does not apply cleanly to \`${target}\`:`,
    ...result.files.map((f) => `- \`${f.path}\` — ${f.reason}`),
    "",
    draftsWanted
      ? "These conflicts cannot be shown with conflict markers, so no draft PR was opened. Finish it locally:"
      : "The policy asks for a comment instead of a draft PR (`backport.on_conflict: comment`). Finish it locally:",
    "",
    "```sh",
    ...result.manualSteps,
    "```",
    "",
    `Then open a PR from \`${backportBranch(pull.number, target)}\` to \`${target}\`.`,
  ].join("\n");
}
