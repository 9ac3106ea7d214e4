/**
 * `/release-hotfix`: authorise the commenter, then — as steps of the hotfix's one writer — the
 * final check, merge, tag and release; then the deploy to staging; then one step per backport
 * target — the final check, version, merge and tag also holding the release line's lock, so the
 * releases of one line take turns. Production comes before the other branches: backports are paced and take longer, and
 * deployment events wait for at most one backport step, never for the whole run. `--dry-run`
 * shows the same plan and changes nothing.
 *
 * The release schedule (`schedule:`): while it is closed the command is refused with when it
 * opens — or, with `--when-open` (or `schedule.outside_window: queue`), the release is queued in
 * the hotfix record and the sweep runs it when the schedule opens (`run-queued.ts`); `--cancel`
 * withdraws it. `--override "reason"` releases now, for someone `schedule.override` names; the
 * person, the rule and the reason are recorded in the tracking comment and the release notes.
 */
import { authorise, authoriseOverride } from "../access/authorise.js";
import { countRelease } from "../observability/metrics.js";
import { runHotfixStep } from "../record/step.js";
import type { ScheduleRequest } from "./plan.js";
import {
  finishRelease,
  releaseStep,
  type ReleaseContext,
  type StepResult,
} from "./release-step.js";
import { cancelQueuedRelease } from "./cancel-queued.js";

export type { ReleaseContext } from "./release-step.js";

export interface ReleaseCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  dryRun: boolean;
  /** `--when-open`: queue the release when only the schedule stands in the way. */
  whenOpen?: boolean;
  /** `--cancel`: withdraw a queued release. */
  cancel?: boolean;
  /** `--override "reason"`: release outside the schedule (for those `schedule.override` names). */
  override?: string | null;
}

/** Options that cannot go together, said before anything is read. */
function conflictingOptions(command: ReleaseCommand): string | null {
  if (command.cancel && (command.dryRun || command.whenOpen || command.override))
    return "--cancel withdraws a queued release and takes no other option";
  if (command.override && command.whenOpen)
    return "--override releases now and --when-open waits for the schedule: choose one";
  return null;
}

export async function onReleaseCommand(
  ctx: ReleaseContext,
  command: ReleaseCommand,
): Promise<string> {
  const { github, policy } = ctx;
  const refuse = async (reply: string, log: string) => {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, reply);
    countRelease("refused");
    return `refused: ${log}`;
  };
  const conflict = conflictingOptions(command);
  if (conflict) return refuse(`@${command.actor} ${conflict}.`, conflict);
  const auth = await authorise(github, command.actor, policy.release.allowed, "release");
  if (!auth.ok) return refuse(auth.reason, `@${command.actor} not allowed to release`);
  if (command.cancel) return cancelQueuedRelease(ctx, command);

  let override: ScheduleRequest["override"] = null;
  if (command.override) {
    const grant = await authoriseOverride(github, command.actor, policy.schedule.override);
    if (!grant.ok)
      return refuse(grant.reason, `@${command.actor} may not override the release schedule`);
    override = { reason: command.override, rule: grant.rule, via: grant.via };
  }
  const request: ScheduleRequest = {
    override,
    queue: Boolean(command.whenOpen) || policy.schedule.outside_window === "queue",
  };
  const ended = await runHotfixStep<StepResult>(ctx, command.pullNumber, (step) =>
    releaseStep(step, ctx, { ...command, request }),
  );
  return finishRelease(ctx, command, ended);
}
