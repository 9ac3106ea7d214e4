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
import { isHighestRelease } from "../versions/version.js";
import { chooseVersion } from "./choose-version.js";
import { renderReleaseNotes } from "./notes.js";
import { tagMessage, type MergeMethod, type ReleasePlan } from "./plan.js";
import { joinMergeQueue } from "../merge-queue/join-queue.js";

type Plan = Extract<ReleasePlan, { kind: "release" }>;

export type Execution =
  | { kind: "released"; tag: string; version: string; mergeSha: string; releaseUrl: string }
  /** In GitHub's merge queue: the release continues when the queue merges the PR. */
  | { kind: "queued"; position: number; already: boolean }
  | { kind: "failed"; step: "merge" | "tag" | "release"; reason: string };

const short = (sha: string) => sha.slice(0, 7);

export async function executeRelease(
  step: HotfixStep,
  plan: Plan,
  request: { actor: string; commentId: number; headSha: string },
): Promise<Execution> {
  const { policy } = step;
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
    if (plan.merge.kind === "merge" && plan.merge.queue) {
      const joined = await joinMergeQueue(step, {
        headSha: plan.merge.headSha,
        jump: plan.merge.queue.jump,
        actor: request.actor,
        commentId: request.commentId,
      });
      if (joined.kind === "refused") return fail(step, "merge", joined.reason);
      if (joined.kind === "queued") {
        step.store((s) => {
          const { releaseFailure: _cleared, ...rest } = s;
          return rest;
        });
        return { kind: "queued", position: joined.position, already: joined.already };
      }
    }
    const merged = await ensureMerged(step, plan);
    if (!merged.ok) return fail(step, "merge", merged.reason);

    current = "tag";
    let publish = plan.publish;
    let released = { tag: plan.tag.tag, version: plan.tag.version };
    if (plan.tag.kind === "create") {
      const tagged = await ensureTagged(step, plan.tag, merged.sha);
      if (!tagged.ok) return fail(step, "tag", tagged.reason);
      if (tagged.tag !== plan.tag.tag) {
        released = { tag: tagged.tag, version: tagged.version };
        step.store((s) => (s.release ? { ...s, release: { ...s.release, tag: tagged.tag } } : s));
        if (publish.kind === "publish" && tagged.publish)
          publish = { ...publish, ...tagged.publish };
      }
    }

    current = "release";
    const url = await ensurePublished(step, { ...plan, publish }, request.actor, merged.sha);
    step.store((s) => {
      const { releaseFailure: _cleared, ...rest } = s;
      return rest;
    });
    return {
      kind: "released",
      tag: released.tag,
      version: released.version,
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

/** Versions the line may move on by, when other releases take the planned one meanwhile. */
const MAX_TAG_ATTEMPTS = 3;

type Tagged =
  | {
      ok: true;
      tag: string;
      version: string;
      /** What the release is published as, when the version was chosen again. */
      publish?: {
        tag: string;
        version: string;
        previousTag: string;
        line: string;
        latest: boolean;
      };
    }
  | { ok: false; reason: string };

/**
 * Creates the planned tag on the merge commit. When the name was taken meanwhile by another
 * commit — a release of the same line by someone or something not holding this line's lock: a
 * person tagging by hand, a second replica without a shared \`REDIS_URL\` — the version is chosen
 * again from the tags as they are now, with the same rules (the release it patches must be in
 * this merge commit's history), and the next free one is taken. No tag is ever moved, and the
 * release never stops half-done for a version someone else took.
 */
async function ensureTagged(
  step: HotfixStep,
  planned: Extract<Plan["tag"], { kind: "create" }>,
  mergeSha: string,
): Promise<Tagged> {
  const { github, policy } = step;
  let want = { tag: planned.tag, version: planned.version, message: planned.message };
  let publish: Extract<Tagged, { ok: true }>["publish"];
  const taken: string[] = [];
  for (let attempt = 0; attempt < MAX_TAG_ATTEMPTS; attempt++) {
    const created = await github.createAnnotatedTag({
      name: want.tag,
      message: want.message,
      commitSha: mergeSha,
    });
    if (created.created || created.existing.commitSha === mergeSha)
      return { ok: true, tag: want.tag, version: want.version, ...(publish ? { publish } : {}) };
    taken.push(`${want.tag} (on ${short(created.existing.commitSha)})`);
    const again = await chooseVersion(github, {
      base: step.record.base,
      mergeSha,
      policy,
    });
    const meanwhile = `${taken.join(", ")} ${taken.length === 1 ? "was" : "were"} created meanwhile, not on this hotfix's merge commit ${short(mergeSha)}; hotfix-bot never moves a tag`;
    if (!again.ok)
      return { ok: false, reason: `${meanwhile}, and no other version fits: ${again.reason}` };
    const latest = isHighestRelease(again.version, again.tags, policy.release.tag);
    publish = {
      tag: again.tag,
      version: again.version,
      previousTag: again.previousTag || "the previous release",
      line: again.line || step.record.base,
      latest,
    };
    if (again.alreadyTagged) return { ok: true, tag: again.tag, version: again.version, publish };
    want = { tag: again.tag, version: again.version, message: tagMessage(again.tag, step.pull) };
  }
  return {
    ok: false,
    reason: `${taken.join(", ")} were each created by someone else just before this release could take them. Find out what is tagging line \`${step.record.base}\` at the same time, then comment \`${policy.release.command}\` again: the merge is kept, only the tag and the release are left.`,
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
