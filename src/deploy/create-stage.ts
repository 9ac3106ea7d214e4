/**
 * Creates the deployment of one stage of a hotfix. Called only by the hotfix's one writer, after
 * it derived the record and found no deployment of that stage: the lock, not a second read,
 * keeps two deliveries — in one process or in two replicas sharing Redis — from creating two.
 */
import type { Deployments, DeploymentCreation } from "../github/port/deployments.js";
import { hotfixPayload, type HotfixPayload } from "../record/deployment-payload.js";
import type { DeploymentFacts } from "../record/schema.js";

export interface StageRequest {
  payload: HotfixPayload;
  environment: string;
  requiredContexts: readonly string[];
}

export type CreatedStage =
  | { ok: true; deployment: DeploymentFacts }
  | { ok: false; refusal: Extract<DeploymentCreation, { created: false }> };

export async function createStage(
  github: Deployments,
  request: StageRequest,
): Promise<CreatedStage> {
  const { payload, environment } = request;
  const made = await github.createDeployment({
    ref: payload.tag,
    environment,
    payload: hotfixPayload(payload),
    description: describe(payload, environment),
    requiredContexts: request.requiredContexts,
    productionEnvironment: payload.stage !== "staging",
  });
  if (!made.created) return { ok: false, refusal: made };
  const { id, ref, sha, createdAt } = made.deployment;
  return {
    ok: true,
    deployment: { id, ref, sha, environment, createdAt, hotfix: payload, statuses: [] },
  };
}

function describe(payload: HotfixPayload, environment: string): string {
  const text =
    payload.stage === "rollback"
      ? `hotfix-bot: roll ${environment} back to ${payload.tag} (undo ${payload.rollback_of ?? "hotfix"}, #${payload.pr})`
      : `hotfix-bot: ${payload.tag} (hotfix #${payload.pr}) to ${environment}`;
  // GitHub caps deployment descriptions at 140 characters.
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
