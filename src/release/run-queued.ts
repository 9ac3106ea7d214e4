/**
 * A release queued while the schedule was closed (`/release-hotfix --when-open`, or
 * `schedule.outside_window: queue`), run by the sweep or by a freeze issue closing — as a step of
 * the hotfix's one writer, in the name of the person who queued it, after the final check is made
 * afresh. It is not released, and the intent is **dropped** (the requester is told once, in a
 * comment), when that person may no longer release, when the PR was closed or merged meanwhile,
 * when its head moved (the new commits were never asked to be released), or when the hotfix
 * policy is no longer met. Dropped rather than kept: a hotfix that turns green again days later
 * should be released because someone asks again, not because an old comment said so. While only
 * the schedule is still closed, the intent waits and nothing is written.
 */
import { authorise } from "../access/authorise.js";
import { runHotfixStep, type HotfixStep } from "../record/step.js";
import type { ScheduledRelease } from "../record/schema.js";
import { formatTime } from "../record/stage-text.js";
import {
  finishRelease,
  releaseStep,
  type ReleaseContext,
  type StepResult,
} from "./release-step.js";

type QueuedOutcome =
  | { kind: "none" }
  | { kind: "waiting"; opens: string | null }
  | { kind: "dropped"; why: string }
  | { kind: "release"; queued: ScheduledRelease; result: StepResult };

const short = (sha: string) => sha.slice(0, 7);

export async function runQueuedRelease(ctx: ReleaseContext, pr: number): Promise<string> {
  const ended = await runHotfixStep<QueuedOutcome>(ctx, pr, (step) => attempt(step, ctx));
  const outcome = ended.value;
  switch (outcome.kind) {
    case "none":
      return "nothing queued";
    case "waiting":
      return `queued release waits: the schedule is still closed${outcome.opens ? ` (opens ${outcome.opens})` : ""}`;
    case "dropped":
      return `queued release dropped: ${outcome.why}`;
  }
  const { queued, result } = outcome;
  const done = await finishRelease(
    ctx,
    { pullNumber: pr, commentId: queued.commentId, actor: queued.by },
    { ...ended, value: result },
  );
  return `queued release: ${done}`;
}

async function attempt(step: HotfixStep, ctx: ReleaseContext): Promise<QueuedOutcome> {
  const queued = step.record.stored.scheduled;
  if (queued?.state !== "queued") return { kind: "none" };
  const { pull } = step;
  const command = ctx.policy.release.command;
  /** `why` is one line (the tracking comment's); `details` may follow in the notice. */
  const drop = async (why: string, details = ""): Promise<QueuedOutcome> => {
    const at = step.now().toISOString();
    step.store((s) => ({ ...s, scheduled: { ...queued, state: "dropped", endedAt: at, why } }));
    await step.notify(
      `queued-release-dropped-${queued.at}`,
      `@${queued.by} the release you queued at ${formatTime(queued.at)} did not run: ${why}${details ? `\n\n${details}` : ""}\n\nThe queued release is dropped; comment \`${command} --when-open\` (or \`${command}\` once the schedule is open) to ask again.`,
    );
    return { kind: "dropped", why };
  };

  const auth = await authorise(ctx.github, queued.by, ctx.policy.release.allowed, "release");
  if (!auth.ok) return drop(`@${queued.by} may no longer release here.`);
  if (pull.state !== "open")
    return drop(pull.merged ? "the PR was merged meanwhile." : "the PR was closed meanwhile.");
  if (pull.head.sha !== queued.headSha) {
    return drop(
      `the PR's head moved from ${short(queued.headSha)} to ${short(pull.head.sha)} after the release was queued; the new commits were not asked to be released.`,
    );
  }
  const result = await releaseStep(step, ctx, {
    pullNumber: step.record.pr,
    commentId: queued.commentId,
    actor: queued.by,
    dryRun: false,
    request: { queue: true },
    retry: true,
  });
  if (result.kind === "queued") return { kind: "waiting", opens: queued.opens };
  if (result.kind === "refused") {
    const missing = [...result.reply.matchAll(/^- \S+ \*\*(.+?)\*\*/gm)].map((m) => m[1]);
    const first = (result.reply.split("\n")[0] ?? "").replace(/^@\S+ not released: /, "");
    const why = missing.length
      ? `${first.replace(/ Missing:$/, "")} Missing: ${missing.join(", ")}.`
      : first;
    return drop(why, result.reply.split("\n").slice(1).join("\n").trim());
  }
  return { kind: "release", queued, result };
}
