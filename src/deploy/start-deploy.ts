/**
 * After a successful release: deploy the tag to staging, as a step of its own (the release's
 * step has ended, so deployment events need not wait for it). Without a `deploy:` policy nothing
 * is deployed and the tracking comment says so. The rest of the way — production, the window —
 * follows GitHub's `deployment_status` events (src/events/deploy.ts).
 */
import { stepHotfix, type StepContext } from "../record/step.js";
import { advanceHotfix } from "./advance.js";

export async function startDeploy(ctx: StepContext, pr: number): Promise<string> {
  const deploy = ctx.policy.deploy;
  if (!deploy) return "deploy skipped";
  return stepHotfix(ctx, pr, (step) =>
    advanceHotfix(step, { createStaging: true, promote: deploy.promote === "auto" }),
  );
}
