/**
 * Pure: what hotfix-bot writes into a deployment's payload, and reading it back. The payload is
 * how the app recognises its own deployments and finds the PR they belong to; deployers see it
 * too (`github.event.deployment.payload.hotfix_bot` in a workflow).
 */
import type { Deployment } from "../github/port/deployments.js";
import { hotfixPayloadSchema, type DeployStage, type HotfixPayload } from "./schema.js";

export const PAYLOAD_KEY = "hotfix_bot";

export function hotfixPayload(payload: HotfixPayload): Record<string, unknown> {
  return { [PAYLOAD_KEY]: payload };
}

/** Our payload from a deployment's, or null when hotfix-bot did not create it. */
export function readHotfixPayload(raw: unknown): HotfixPayload | null {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== "object") return null;
  const parsed = hotfixPayloadSchema.safeParse((value as Record<string, unknown>)[PAYLOAD_KEY]);
  if (!parsed.success) return null;
  const { rollback_of, ...rest } = parsed.data;
  return rollback_of === undefined ? rest : { ...rest, rollback_of };
}

/** A deployment hotfix-bot created, with its payload read. */
export interface HotfixDeployment extends Deployment {
  hotfix: HotfixPayload;
}

export function asHotfixDeployment(deployment: Deployment): HotfixDeployment | null {
  const hotfix = readHotfixPayload(deployment.payload);
  return hotfix ? { ...deployment, hotfix } : null;
}

/** The deployment of one stage of one hotfix: what makes a (tag, environment) stage unique. */
export function isStage(
  deployment: HotfixDeployment,
  want: { pr: number; stage: DeployStage; tag: string; environment: string },
): boolean {
  return (
    deployment.hotfix.pr === want.pr &&
    deployment.hotfix.stage === want.stage &&
    deployment.ref === want.tag &&
    deployment.environment === want.environment
  );
}

export type { DeployStage, HotfixPayload };
