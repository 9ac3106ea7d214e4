/**
 * One deployment per (tag, environment) stage of a hotfix, however often it is asked for: the
 * deployments GitHub already has for the tag are read first and ours is reused. Requests:
 * 1 read, plus — only when the stage has no deployment yet — 1 more read and 1 write.
 *
 * GitHub has no conditional create for deployments, so two deliveries in flight at once (a
 * redelivered `deployment_status`, two maintainers' commands) would both find none and both
 * create one. Within this process they take turns per stage, and each reads GitHub again in its
 * turn before creating. (Replicas of the app behind one webhook URL can still race.)
 */
import type { Deployments, DeploymentCreation } from "../github/port/deployments.js";
import {
  asHotfixDeployment,
  hotfixPayload,
  isStage,
  type DeployStage,
  type HotfixDeployment,
  type HotfixPayload,
} from "./payload.js";

export interface StageRequest {
  payload: HotfixPayload;
  environment: string;
  requiredContexts: readonly string[];
}

export type EnsuredDeployment =
  | { ok: true; deployment: HotfixDeployment; created: boolean }
  | { ok: false; refusal: Extract<DeploymentCreation, { created: false }> };

/** Our deployments of `ref` (any environment, any stage), newest first. */
export async function hotfixDeploymentsOf(
  github: Deployments,
  ref: string,
  environment?: string,
): Promise<HotfixDeployment[]> {
  const all = await github.listDeployments({ ref, ...(environment ? { environment } : {}) });
  return all.map(asHotfixDeployment).filter((d): d is HotfixDeployment => d !== null);
}

export function findStage(
  deployments: readonly HotfixDeployment[],
  want: { pr: number; stage: DeployStage; tag: string; environment: string },
): HotfixDeployment | null {
  // Newest first: if a race ever made two, the newest is the one deployers act on last.
  return deployments.find((d) => isStage(d, want)) ?? null;
}

export async function ensureDeployment(
  github: Deployments,
  request: StageRequest,
  known?: readonly HotfixDeployment[],
): Promise<EnsuredDeployment> {
  const { payload, environment } = request;
  const want = { pr: payload.pr, stage: payload.stage, tag: payload.tag, environment };
  const existing = findStage(known ?? (await hotfixDeploymentsOf(github, payload.tag)), want);
  if (existing) return { ok: true, deployment: existing, created: false };
  return inTurn(`${want.pr} ${want.stage} ${want.tag} ${want.environment}`, () =>
    createStage(github, request, want),
  );
}

const turns = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `work` of the same key in this process has ended. */
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = turns.get(key);
  const mine = (before ?? Promise.resolve()).then(work, work);
  turns.set(key, mine);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === mine) turns.delete(key);
  }
}

async function createStage(
  github: Deployments,
  request: StageRequest,
  want: Parameters<typeof findStage>[1],
): Promise<EnsuredDeployment> {
  const { payload, environment } = request;
  // Read again in our turn: another delivery may have created it since the first read.
  const raced = findStage(await hotfixDeploymentsOf(github, payload.tag), want);
  if (raced) return { ok: true, deployment: raced, created: false };
  const made = await github.createDeployment({
    ref: payload.tag,
    environment,
    payload: hotfixPayload(payload),
    description: describe(payload, environment),
    requiredContexts: request.requiredContexts,
    productionEnvironment: payload.stage !== "staging",
  });
  if (!made.created) return { ok: false, refusal: made };
  return { ok: true, deployment: { ...made.deployment, hotfix: payload }, created: true };
}

function describe(payload: HotfixPayload, environment: string): string {
  const text =
    payload.stage === "rollback"
      ? `hotfix-bot: roll ${environment} back to ${payload.tag} (undo ${payload.rollback_of ?? "hotfix"}, #${payload.pr})`
      : `hotfix-bot: ${payload.tag} (hotfix #${payload.pr}) to ${environment}`;
  // GitHub caps deployment descriptions at 140 characters.
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
