/**
 * An issue carrying a freeze label (`schedule.freeze_labels`) was opened, closed, reopened,
 * edited, labelled or unlabelled: the freeze began, ended or changed lines, so every open hotfix's
 * gate is evaluated again, and a release queued for when the schedule opens runs if it now may.
 * Issues with no freeze label cost no request.
 */
import type { ReleaseContext } from "./release-step.js";
import { sweepSchedule } from "./sweep-schedule.js";

export async function onFreezeIssue(
  ctx: ReleaseContext,
  issue: { number: number; labels: readonly string[] },
): Promise<string> {
  const wanted = new Set(ctx.policy.schedule.freeze_labels.map((l) => l.toLowerCase()));
  const hit = issue.labels.find((l) => wanted.has(l.toLowerCase()));
  if (!hit) return "skipped: not a freeze label";
  const { decisions, errors } = await sweepSchedule(ctx, { alwaysGate: true });
  if (errors.length > 0) throw new Error(`could not judge every open hotfix: ${errors.join("; ")}`);
  return `freeze issue #${issue.number} (${hit}): ${decisions.join("; ") || "no open hotfix"}`;
}
