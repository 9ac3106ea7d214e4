/**
 * Carries out a release plan as the hotfix's one writer (inside `stepHotfix`): merge, tag,
 * publish. Each write is one of GitHub's atomic operations and is checked against what GitHub
 * then shows — the merge passes the judged head (a push in between makes it fail safely), a tag
 * is a ref creation that fails when the tag exists (then compared, never moved), a release is
 * looked up by its tag before and after creating — so a repeated command, a redelivery or a
 * crash midway ends in one merge, one tag and one release. A failure is stored in the record
 * (the tracking comment shows it) and replied with what to do; the next command resumes.
 */
import { GitHubError } from "../github/errors.js";
import type { HotfixStep } from "../record/step.js";
import { renderReleaseNotes } from "./notes.js";
import type { MergeMethod, ReleasePlan } from "./plan.js";

type Plan = Extract<ReleasePlan, { kind: "release" }>;

export type Execution =
  | { kind: "released"; tag: string; version: string; mergeSha: string; releaseUrl: string }
  | { kind: "failed"; step: "merge" | "tag" | "release"; reason: string };

const short = (sha: string) => sha.slice(0, 7);

export async function executeRelease(
  step: HotfixStep,
  plan: Plan,
  request: { actor: string; commentId: number; headSha: string },
): Promise<Execution> {
  const { github, policy } = step;
  const command = policy.release.command;
  const at = step.now().toISOString();
  const previous = step.record.stored.release;
  step.store((s) => ({
    ...s,
    release: {
      by: previous && plan.alreadyReleased ? previous.by : request.actor,
      at: previous && plan.alreadyReleased ? previous.at : at,
      headSha: previous && plan.alreadyReleased ? previous.headSha : request.headSha,
      ...(previous?.method ? { method: previous.method } : {}),
      ...(plan.tag.tag ? { tag: plan.tag.tag } : {}),
    },
    // The override that let this release start outside the schedule; a resumed run keeps it.
    ...(plan.override && !s.override ? { override: { ...plan.override, at } } : {}),
  }));
  let current: "merge" | "tag" | "release" = "merge";
  try {
    const merged = await ensureMerged(step, plan);
    if (!merged.ok) return fail(step, "merge", merged.reason);

    current = "tag";
    if (plan.tag.kind === "create") {
      const created = await github.createAnnotatedTag({
        name: plan.tag.tag,
        message: plan.tag.message,
        commitSha: merged.sha,
      });
      if (!created.created && created.existing.commitSha !== merged.sha) {
        return fail(
          step,
          "tag",
          `the tag ${plan.tag.tag} already exists on ${short(created.existing.commitSha)}, not on this hotfix's merge commit ${short(merged.sha)}. hotfix-bot never moves a tag. Find out who created ${plan.tag.tag}; if it is wrong, delete it (\`git push --delete origin ${plan.tag.tag}\`) and comment \`${command}\` again.`,
        );
      }
    }

    current = "release";
    const url = await ensurePublished(step, plan, request.actor, merged.sha);
    step.store((s) => {
      const { releaseFailure: _cleared, ...rest } = s;
      return rest;
    });
    return {
      kind: "released",
      tag: plan.tag.tag,
      version: plan.tag.version,
      mergeSha: merged.sha,
      releaseUrl: url,
    };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    return fail(
      step,
      current,
      `GitHub answered ${error.status} to ${error.route}: ${error.message}. Nothing is lost: comment \`${command}\` again to finish; completed steps are not redone.`,
    );
  }
}

async function ensureMerged(
  step: HotfixStep,
  plan: Plan,
): Promise<{ ok: true; sha: string } | { ok: false; reason: string }> {
  if (plan.merge.kind === "done") return { ok: true, sha: plan.merge.sha };
  const { github } = step;
  const { method, headSha, title } = plan.merge;
  const pr = step.record.pr;
  const result = await github.mergePull(pr, { sha: headSha, method, title });
  if (result.merged) {
    rememberMethod(step, method);
    return { ok: true, sha: result.sha };
  }
  // Someone (or an earlier run whose answer was lost) may have merged it meanwhile: success.
  const now = await github.getPull(pr);
  if (now?.merged && now.mergeCommitSha) return { ok: true, sha: now.mergeCommitSha };
  const base = step.record.base;
  return {
    ok: false,
    reason:
      result.status === 409
        ? `the PR's head moved after the final check (it was ${short(headSha)}); the new commits have not been checked. Wait for the Hotfix policy check, then comment the command again.`
        : `GitHub refused to ${method}-merge it (${result.status}: ${result.message}). Usually a branch protection rule or ruleset blocks the app (add hotfix-bot as a bypass actor, or allow ${method} merges), or the PR has conflicts with \`${base}\`.`,
  };
}

function rememberMethod(step: HotfixStep, method: MergeMethod): void {
  step.store((s) => (s.release ? { ...s, release: { ...s.release, method } } : s));
}

async function ensurePublished(
  step: HotfixStep,
  plan: Plan,
  actor: string,
  mergeSha: string,
): Promise<string> {
  const { github, policy } = step;
  if (plan.publish.kind === "keep") return plan.publish.url;
  const publish = plan.publish;
  const existing = await github.findRelease(publish.tag);
  if (existing) return existing.url;
  const commits = await github.listPullCommits(step.record.pr);
  const created = await github.createRelease({
    tagName: publish.tag,
    targetSha: mergeSha,
    name: publish.tag,
    body: renderReleaseNotes({
      tag: publish.tag,
      previousTag: publish.previousTag,
      line: publish.line,
      pull: step.pull,
      approvals: plan.requirements,
      commits,
      releasedBy: actor,
      command: policy.release.command,
      override: step.record.stored.override ?? null,
    }),
    draft: publish.draft,
    makeLatest: publish.latest,
  });
  if (!("alreadyExists" in created)) return created.url;
  const raced = await github.findRelease(publish.tag);
  if (raced) return raced.url;
  throw new GitHubError(
    `GitHub says the release ${publish.tag} exists but cannot find it`,
    422,
    "POST /repos/{owner}/{repo}/releases",
  );
}

async function fail(
  step: HotfixStep,
  at: "merge" | "tag" | "release",
  reason: string,
): Promise<Execution> {
  step.store((s) => ({ ...s, releaseFailure: { step: at, reason, at: step.now().toISOString() } }));
  return { kind: "failed", step: at, reason };
}
