/**
 * What GitHub's merge queue does with a hotfix hotfix-bot added to it, each as a step of the
 * hotfix's one writer: when the queue merges the PR (`pull_request.closed`, merged) the release
 * continues — tag, release, deploy, backports — from the merge commit, in the name of the person
 * who ran the command; when the queue removes it (`pull_request.dequeued`), the tracking comment
 * and a reply say why, and the next `/release-hotfix` adds it again. Both act only while the
 * record says the PR is queued, so a redelivered event does nothing twice.
 */
import { runHotfixStep } from "../record/step.js";
import type { MergeQueueNote } from "../record/schema.js";
import {
  finishRelease,
  releaseStep,
  type ReleaseContext,
  type StepResult,
} from "./release-step.js";

export async function continueAfterQueueMerge(ctx: ReleaseContext, pr: number): Promise<string> {
  let queued: MergeQueueNote | null = null;
  const ended = await runHotfixStep<StepResult | null>(ctx, pr, async (step) => {
    const note = step.record.stored.mergeQueue;
    if (note?.state !== "queued" || !step.pull.merged) return null;
    queued = note;
    const at = step.now().toISOString();
    step.store((s) =>
      s.mergeQueue ? { ...s, mergeQueue: { ...s.mergeQueue, state: "merged", endedAt: at } } : s,
    );
    return releaseStep(step, ctx, {
      pullNumber: pr,
      commentId: note.commentId,
      actor: note.by,
      dryRun: false,
      request: {},
    });
  });
  const note = queued as MergeQueueNote | null;
  if (!ended.value || !note) return "not waiting in the merge queue";
  const done = await finishRelease(
    ctx,
    { pullNumber: pr, commentId: note.commentId, actor: note.by },
    { ...ended, value: ended.value },
  );
  return `merged by the merge queue: ${done}`;
}

export async function reportDequeued(
  ctx: ReleaseContext,
  pr: number,
  reason: string | null,
): Promise<string> {
  const ended = await runHotfixStep<string>(ctx, pr, async (step) => {
    const note = step.record.stored.mergeQueue;
    if (note?.state !== "queued") return "not waiting in the merge queue";
    if (step.pull.merged) return "already merged";
    const at = step.now().toISOString();
    const why = reason ? reason.toLowerCase().replace(/_/g, " ") : "no reason given";
    step.store((s) =>
      s.mergeQueue
        ? { ...s, mergeQueue: { ...s.mergeQueue, state: "dequeued", endedAt: at, reason: why } }
        : s,
    );
    await step.notify(
      `merge-queue-dequeued-${note.at}`,
      `@${note.by} GitHub's merge queue removed the PR (${why}); nothing was merged, tagged or released. Fix what the queue reported, then comment \`${ctx.policy.release.command}\` again to add it back.`,
    );
    return `dequeued (${why}): reported`;
  });
  return ended.value;
}
