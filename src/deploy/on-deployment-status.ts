/**
 * A deployer reported on one of our deployments. Whatever the status says, the hotfix is
 * re-judged from GitHub (a redelivered or out-of-order event cannot move it backwards), and
 * the next step follows: promotion after staging, the window after production, the rollback
 * line for a rollback deployment.
 */
import type { GitHubPort } from "../github/port.js";
import type { DeployPolicy, Policy } from "../policy/schema.js";
import { openTracking } from "../tracking/tracking-comment.js";
import { advanceHotfix } from "./advance-hotfix.js";
import type { DeployContext } from "./context.js";
import type { HotfixDeployment } from "./payload.js";
import { onRollbackStatus } from "./rollback.js";

export interface DeploymentStatusEvent {
  deployment: HotfixDeployment;
  policy: Policy & { deploy: DeployPolicy };
  repoUrl: string;
  ownAppId: number | null;
  now: Date;
}

export async function onDeploymentStatus(
  github: GitHubPort,
  event: DeploymentStatusEvent,
): Promise<string> {
  const { deployment } = event;
  const { hotfix } = deployment;
  const tracking = await openTracking(github, hotfix.pr);
  const ctx: DeployContext = {
    github,
    policy: event.policy,
    deploy: event.policy.deploy,
    tracking,
    repoUrl: event.repoUrl,
    ownAppId: event.ownAppId,
    now: event.now,
  };
  const facts = tracking.state.facts;
  if (hotfix.stage === "rollback") {
    const ref = {
      pr: hotfix.pr,
      tag: hotfix.rollback_of ?? facts.tag ?? "",
      version: facts.version ?? "",
      releasedBy: facts.releasedBy ?? "",
    };
    return onRollbackStatus(ctx, ref, deployment);
  }
  return advanceHotfix(
    ctx,
    {
      pr: hotfix.pr,
      tag: hotfix.tag,
      version: hotfix.version,
      releasedBy: facts.releasedBy ?? hotfix.requested_by,
    },
    { createStaging: false, promote: event.policy.deploy.promote === "auto" },
  );
}
