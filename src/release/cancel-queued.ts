import type { ReleaseContext } from "./release-step.js";
import { runHotfixStep } from "../record/step.js";

/** `--cancel`: the queued release is withdrawn (recorded), or the reply says none is queued. */
export async function cancelQueuedRelease(
  ctx: ReleaseContext,
  command: { pullNumber: number; commentId: number; actor: string },
): Promise<string> {
  const { github } = ctx;
  const withdrawn = await runHotfixStep(ctx, command.pullNumber, async (step) => {
    const queued = step.record.stored.scheduled;
    if (queued?.state !== "queued") return false;
    const at = step.now().toISOString();
    step.store((s) => ({
      ...s,
      scheduled: { ...queued, state: "withdrawn", endedAt: at, endedBy: command.actor },
    }));
    return true;
  });
  if (!withdrawn.value) {
    await github.createComment(
      command.pullNumber,
      `@${command.actor} nothing is queued for this hotfix, so there is nothing to cancel.`,
    );
    return "cancel: nothing queued";
  }
  await github.react(command.commentId, "+1");
  return "queued release withdrawn";
}
