/**
 * A deployer reported on one of our deployments. Whatever the status says, the hotfix is
 * re-judged from GitHub as a step of its one writer (a redelivered or out-of-order event cannot
 * move it backwards), and the next step follows: promotion after staging, the window after
 * production, the rollback line for a rollback deployment.
 */
import type { HotfixDeployment } from "../record/deployment-payload.js";
import { stepHotfix, type StepContext } from "../record/step.js";
import { advanceHotfix } from "./advance.js";
import { rollbackProgress } from "./rollback.js";

export function onDeploymentStatus(
  ctx: StepContext,
  deployment: HotfixDeployment,
): Promise<string> {
  const { hotfix } = deployment;
  const promote = ctx.policy.deploy?.promote === "auto";
  if (hotfix.stage === "rollback") {
    return stepHotfix(ctx, hotfix.pr, rollbackProgress, { hints: { tag: hotfix.rollback_of } });
  }
  return stepHotfix(
    ctx,
    hotfix.pr,
    (step) => advanceHotfix(step, { createStaging: false, promote }),
    { hints: { tag: hotfix.tag } },
  );
}
