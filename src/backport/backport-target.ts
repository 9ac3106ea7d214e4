/**
 * One backport target, as one step of the hotfix's one writer: carry the PR's commits to the
 * target through GitHub's API (`cherry-pick.ts`) and open the backport PR — or find that this was
 * done before. What GitHub holds decides: a backport PR from `backport/<pr>-to-<target>` (open or
 * merged) means done, and its attributes are completed if a crashed run left them half-set;
 * otherwise the cherry-pick runs (again), reusing a branch left behind. What GitHub cannot hold —
 * "already on the target", a failure's reason, conflicts reported in a comment — is stored in
 * the record.
 */
import type { PullRequest } from "../github/model.js";
import type { CommitInfo } from "../github/port/git.js";
import type { HotfixStep } from "../record/step.js";
import type { BackportNote, StoredRecord } from "../record/schema.js";
import { backportBranch, backportTempBranch } from "../record/names.js";
import { cherryPick, type CherryPickResult } from "./cherry-pick.js";
import { ensurePullAttributes, type WantedAttributes } from "./pull-attributes.js";
import { shortSha, subjectOf } from "./pick-message.js";
import type { WritePacer } from "./pace-writes.js";
import { BACKPORT_COMMAND } from "../commands/names.js";
import { isGitHubError } from "../github/errors.js";

export const CONFLICT_LABEL = "backport-conflict";

export interface BackportOutcome {
  target: string;
  kind:
    | "opened"
    | "linked"
    | "conflict-draft"
    | "conflict-comment"
    | "already-present"
    | "no-branch"
    | "failed";
  text: string;
  link?: string;
}

export interface BackportInput {
  target: string;
  /** The commits to carry (from `commitsToCarry`), or why there are none; read when needed. */
  commits: () => Promise<CommitInfo[] | { reason: string }>;
  /** The release this fix shipped in, linked from the backport PR. */
  release?: { tag: string; url?: string | undefined } | undefined;
  pacer: WritePacer;
}

export async function backportTarget(
  step: HotfixStep,
  input: BackportInput,
): Promise<BackportOutcome> {
  const { target } = input;
  const line = step.record.backports.find((l) => l.target === target);
  const note = (value: BackportNote | null) => step.store((s) => withNote(s, target, value));
  const at = step.now().toISOString();
  const failed = (reason: string): BackportOutcome => {
    note({ kind: "failed", reason, at });
    return { target, kind: "failed", text: reason };
  };
  const retry = `Comment \`${BACKPORT_COMMAND} ${target}\` to retry; finished work is reused.`;

  try {
    if (line?.pull && (line.pull.state === "open" || line.pull.merged)) {
      // Done before. Complete what a run that stopped right after opening it left out.
      const problems = await completeBackportPull(step, line.pull.number);
      note(opened(line.pull.number, at, problems));
      return {
        target,
        kind: line.pull.draft ? "conflict-draft" : "linked",
        text: withProblems(`#${line.pull.number}`, problems),
        link: line.pull.url,
      };
    }
    if (line?.note?.kind === "already-present" || line?.note?.kind === "conflict-comment") {
      return { target, kind: line.note.kind, text: describeNote(line.note), ...linkOf(line.note) };
    }
    if (line?.note?.kind === "no-branch") return { target, kind: "no-branch", text: "no branch" };
    return await carryTo(step, input, { note, failed, retry, at });
  } catch (error) {
    // GitHub failed (a 5xx, a refusal): this target fails with how to retry, the others go on.
    if (!isGitHubError(error)) throw error;
    return failed(`GitHub answered ${error.status} to ${error.route}: ${error.message}. ${retry}`);
  }
}

async function carryTo(
  step: HotfixStep,
  input: BackportInput,
  outcome: {
    note: (value: BackportNote | null) => void;
    failed: (reason: string) => BackportOutcome;
    retry: string;
    at: string;
  },
): Promise<BackportOutcome> {
  const { target } = input;
  const { note, failed, at } = outcome;
  const original = step.pull;
  const commits = await input.commits();
  if (!Array.isArray(commits)) return failed(commits.reason);
  const branch = backportBranch(original.number, target);
  const drafts = step.policy.backport.on_conflict === "draft";
  let result: CherryPickResult;
  try {
    result = await cherryPick(step.github, {
      commits,
      onto: target,
      branch,
      temp: backportTempBranch(original.number, target, commits[0]?.sha ?? "none"),
      draftConflicts: drafts,
      pacer: input.pacer,
      signed: step.policy.backport.signed,
    });
  } catch (error) {
    return failed(`${(error as Error).message}. ${outcome.retry}`);
  }
  const warn = (text: string) =>
    result.warnings.length ? `${text} (note: ${result.warnings.join("; ")})` : text;

  switch (result.kind) {
    case "already-present": {
      const reason = warn(result.reason);
      note({ kind: "already-present", reason, at });
      return { target, kind: "already-present", text: `already on \`${target}\`: ${reason}` };
    }
    case "failed": {
      // The commands as one line a person can paste: no shell comment in the chain.
      const commands = result.manualSteps.filter((l) => !l.trim().startsWith("#"));
      return failed(
        warn(
          `${result.reason}${commands.length ? ` To do it by hand: \`${commands.join(" && ")}\`` : ""}`,
        ),
      );
    }
    case "picked":
    case "conflict": {
      if (result.kind === "picked" || result.draft) {
        const draft = result.kind === "conflict";
        const made = await ensureBackportPull(step, {
          target,
          branch,
          result,
          draft,
          release: input.release,
        });
        if (!made.ok) return failed(warn(made.reason));
        note(opened(made.pull.number, at, made.problems));
        return {
          target,
          kind: draft ? "conflict-draft" : made.created ? "opened" : "linked",
          text: warn(withProblems(`#${made.pull.number}`, made.problems)),
          link: made.pull.htmlUrl,
        };
      }
      const files = result.files.map((f) => f.path);
      const posted = await step.notify(
        `backport-conflict:${target}`,
        conflictComment(original, target, result, drafts),
      );
      await step.github.addLabels(original.number, [CONFLICT_LABEL]);
      const conflict: BackportNote = {
        kind: "conflict-comment",
        files,
        link: posted.url ?? original.htmlUrl,
        at,
      };
      note(conflict);
      return {
        target,
        kind: "conflict-comment",
        text: describeNote(conflict),
        ...linkOf(conflict),
      };
    }
  }
}

/**
 * The PR's number is kept: GitHub finds a PR by its branch, and "automatically delete head
 * branches" removes the branch once the backport is merged.
 */
const opened = (number: number, at: string, problems: readonly string[]): BackportNote => ({
  kind: "opened",
  number,
  at,
  ...(problems.length ? { problems: [...problems] } : {}),
});

const withProblems = (text: string, problems: readonly string[]) =>
  problems.length ? `${text} (${problems.join("; ")})` : text;

/**
 * A backport PR opened before gets whatever attribute it lacks (a run may have stopped early).
 * Returns what GitHub refused (a reviewer it will not ask).
 */
export async function completeBackportPull(step: HotfixStep, number: number): Promise<string[]> {
  const pull = await step.github.getPull(number);
  if (pull?.state !== "open") return [];
  const result = await ensurePullAttributes(
    step.github,
    pull,
    // hotfix-bot opens a backport as a draft only when it carries conflicts.
    wanted(step, pull.draft || pull.labels.includes(CONFLICT_LABEL)),
  );
  return result.problems;
}

/** Sets a target's note; one that says what the stored one says keeps its time (no rewrite). */
function withNote(stored: StoredRecord, target: string, value: BackportNote | null): StoredRecord {
  const { [target]: old, ...rest } = stored.backports;
  const same = (a: BackportNote, b: BackportNote) =>
    JSON.stringify({ ...a, at: "" }) === JSON.stringify({ ...b, at: "" });
  if (value && old && same(old, value)) return stored;
  return { ...stored, backports: value ? { ...rest, [target]: value } : rest };
}

function describeNote(note: BackportNote): string {
  switch (note.kind) {
    case "already-present":
      return `already there: ${note.reason}`;
    case "conflict-comment":
      return `conflicts in ${note.files.map((f) => `\`${f}\``).join(", ")}: finish by hand (see comment)`;
    default:
      return note.kind;
  }
}

const linkOf = (note: BackportNote) =>
  note.kind === "conflict-comment" ? { link: note.link } : {};

/** Labels, assignee, reviewers and the link a backport PR should carry. */
function wanted(step: HotfixStep, draft: boolean): WantedAttributes {
  const original = step.pull;
  const own = new Set(step.policy.hotfix.labels.map((l) => l.toLowerCase()));
  return {
    labels: [
      ...original.labels.filter((l) => !own.has(l.toLowerCase()) && !/^backport/i.test(l)),
      ...(draft ? [CONFLICT_LABEL] : []),
    ],
    assignees: original.author.isBot ? [] : [original.author.login],
    reviewers: step.policy.backport.reviewers,
    bodyLink: originalLink(original),
  };
}

const originalLink = (original: PullRequest) =>
  `<sub>Opened by hotfix-bot. The original PR: ${original.htmlUrl}</sub>`;

async function ensureBackportPull(
  step: HotfixStep,
  input: {
    target: string;
    branch: string;
    result: Extract<CherryPickResult, { kind: "picked" | "conflict" }>;
    draft: boolean;
    release: BackportInput["release"];
  },
): Promise<
  | { ok: true; pull: PullRequest; created: boolean; problems: string[] }
  | { ok: false; reason: string }
> {
  const { github } = step;
  const original = step.pull;
  const attributes = wanted(step, input.draft);
  const fresh = input.result.kind === "picked" && input.result.branchState === "created";
  const existing = fresh ? null : await github.findPullByHead(input.branch, "open");
  if (existing) {
    const { problems } = await ensurePullAttributes(github, existing, attributes);
    return { ok: true, pull: existing, created: false, problems };
  }
  const created = await github.createPull({
    head: input.branch,
    base: input.target,
    title: `[Backport ${input.target}] ${original.title}`,
    body: backportBody(original, input.target, input.result, input.release),
    ...(input.draft ? { draft: true } : {}),
  });
  if (!created.created) {
    return {
      ok: false,
      reason: `GitHub refused to open the backport PR from ${input.branch}: ${created.reason}`,
    };
  }
  const { problems } = await ensurePullAttributes(github, created.pull, attributes, {
    justOpened: true,
  });
  return { ok: true, pull: created.pull, created: true, problems };
}

function backportBody(
  pull: PullRequest,
  target: string,
  result: Extract<CherryPickResult, { kind: "picked" | "conflict" }>,
  release: BackportInput["release"],
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
  lines.push("", originalLink(pull));
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
