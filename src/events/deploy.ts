import type { Probot } from "probot";
import { asHotfixDeployment } from "../record/deployment-payload.js";
import { onDeploymentStatus } from "../deploy/on-deployment-status.js";
import { handleDelivery, type WiredConfig } from "./delivery.js";

/**
 * Deployments hotfix-bot created report progress (`deployment_status`). Issues labelled as
 * regressions, which may fail a hotfix in its monitoring window, arrive through
 * src/events/issues.ts; failing checks on a hotfix's commit through src/events/checks.ts, which
 * the gate shares.
 */
export function onDeploy(app: Probot, config: WiredConfig): void {
  app.on("deployment_status.created", (context) => {
    const { deployment } = context.payload;
    const ours = asHotfixDeployment({
      id: deployment.id,
      ref: deployment.ref,
      sha: deployment.sha,
      environment: deployment.environment,
      payload: deployment.payload,
      createdAt: deployment.created_at,
      creator: deployment.creator?.login ?? null,
    });
    return handleDelivery(context, config, {
      skip: () => (ours ? null : "skipped: not a hotfix-bot deployment"),
      run: async ({ policy, setPull, lifecycle }) => {
        if (!ours) return "skipped";
        setPull(ours.hotfix.pr);
        if (policy.state === "absent") return "no policy: nothing to do";
        if (policy.state === "invalid") return "policy invalid: no action until an admin fixes it";
        if (!policy.policy.deploy) return "no deploy policy: nothing to do";
        return onDeploymentStatus(lifecycle(policy.policy), ours);
      },
    });
  });
}
