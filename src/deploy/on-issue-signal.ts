/**
 * An issue was opened with (or given) a label. A label of `deploy.monitor.signals.labels` may
 * fail any hotfix whose monitoring window is open, so the repository's open windows are
 * re-judged; any other label costs no request.
 */
import type { StepContext } from "../record/step.js";
import { sweepRepository } from "./sweep-repository.js";

export async function onIssueSignal(ctx: StepContext, labels: readonly string[]): Promise<string> {
  const deploy = ctx.policy.deploy;
  if (labels.length === 0) return "skipped: no label";
  if (!deploy) return "no deploy policy: nothing to do";
  const wanted = new Set(deploy.monitor.signals.labels.map((l) => l.toLowerCase()));
  const hit = labels.find((l) => wanted.has(l.toLowerCase()));
  if (!hit) return "skipped: not a monitoring label";
  const { decisions, errors } = await sweepRepository(ctx, { cleanTemporaryBranches: false });
  if (errors.length > 0) throw new Error(`could not judge every open window: ${errors.join("; ")}`);
  return `label ${hit}: ${decisions.join("; ") || "no open monitoring window"}`;
}
