/**
 * A check run or commit status failed on some commit. If it is one of the monitoring signals
 * (`deploy.monitor.signals.checks`) and a hotfix is on production from that commit, that
 * hotfix's window is re-judged. Everything else returns before any request: a passing check
 * costs nothing.
 */
import { matchesAny } from "../policy/patterns.js";
import { asHotfixDeployment, type HotfixDeployment } from "../record/deployment-payload.js";
import { stepHotfix, type StepContext } from "../record/step.js";
import { advanceHotfix } from "./advance.js";

const FAILED = new Set(["failure", "timed_out", "startup_failure", "error"]);

export interface CommitSignal {
  sha: string;
  /** Check-run name or status context. */
  name: string;
  /** Conclusion of a check run, or state of a status. */
  outcome: string | null;
}

/** Whether the signal can matter, decided from the payload and the policy alone. */
export function mayBeSignal(ctx: Pick<StepContext, "policy">, signal: CommitSignal): boolean {
  const deploy = ctx.policy.deploy;
  return (
    deploy !== undefined &&
    FAILED.has(signal.outcome ?? "") &&
    matchesAny(signal.name, deploy.monitor.signals.checks)
  );
}

export async function onCommitSignal(
  ctx: StepContext,
  signal: CommitSignal,
): Promise<string | null> {
  const deploy = ctx.policy.deploy;
  if (!deploy || !mayBeSignal(ctx, signal)) return null;
  const onProduction = (
    await ctx.github.listDeployments({
      sha: signal.sha,
      environment: deploy.environments.production,
    })
  )
    .map(asHotfixDeployment)
    .filter((d): d is HotfixDeployment => d !== null && d.hotfix.stage === "production");
  if (onProduction.length === 0)
    return `deploy: ${signal.name} failed, but no hotfix is on production from this commit`;
  const decisions = [];
  for (const { hotfix } of onProduction) {
    const decision = await stepHotfix(
      ctx,
      hotfix.pr,
      (step) => advanceHotfix(step, { createStaging: false, promote: false }),
      { hints: { tag: hotfix.tag } },
    );
    decisions.push(`deploy #${hotfix.pr} ${hotfix.tag}: ${decision}`);
  }
  return decisions.join("; ");
}
