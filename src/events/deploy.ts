import type { Probot } from "probot";
import { asHotfixDeployment } from "../deploy/payload.js";
import { onDeploymentStatus } from "../deploy/on-deployment-status.js";
import { onIssueSignal } from "../deploy/on-issue-signal.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

/**
 * Deployments hotfix-bot created report progress (`deployment_status`); issues labelled as
 * regressions may fail a hotfix in its monitoring window. Failing checks on a hotfix's commit
 * arrive through src/events/checks.ts, which the gate shares.
 */
export function onDeploy(app: Probot, config: AppConfig): void {
  app.on("deployment_status.created", (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const { deployment, repository } = context.payload;
      const ours = asHotfixDeployment({
        id: deployment.id,
        ref: deployment.ref,
        sha: deployment.sha,
        environment: deployment.environment,
        payload: deployment.payload,
        createdAt: deployment.created_at,
        creator: deployment.creator?.login ?? null,
      });
      if (!ours) return "skipped: not a hotfix-bot deployment";
      setPull(ours.hotfix.pr);
      const load = await policy();
      if (load.state === "absent") return "no policy: nothing to do";
      if (load.state === "invalid") return "policy invalid: no action until an admin fixes it";
      const deploy = load.policy.deploy;
      if (!deploy) return "no deploy policy: nothing to do";
      return onDeploymentStatus(github, {
        deployment: ours,
        policy: { ...load.policy, deploy },
        repoUrl: repository.html_url,
        ownAppId: config.appId,
        now: new Date(),
      });
    }),
  );

  app.on(["issues.opened", "issues.labeled"], (context) =>
    handleDelivery(context, config, async ({ github, policy }) => {
      const { issue, repository } = context.payload;
      // On "labeled" only the label just added is news; the others were judged before.
      const labels =
        context.payload.action === "labeled"
          ? [context.payload.label?.name ?? ""].filter(Boolean)
          : (issue.labels ?? []).map((l) => l.name);
      return onIssueSignal(github, policy, labels, {
        repoUrl: repository.html_url,
        ownAppId: config.appId,
        now: new Date(),
      });
    }),
  );
}
