/**
 * `/rollback-hotfix`: put the previous release of the hotfix's line back on production — a
 * production deployment of that tag, marked as a rollback in its payload — and, when the policy
 * asks, open a PR reverting the hotfix. Both are recorded in the tracking comment. Repeating
 * the command reuses the rollback deployment and the revert PR. A rollback never waits for
 * `required_contexts`: it ships a release that was already live, and it is an emergency.
 */
import type { DeploymentStatus } from "../github/port/deployments.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import type { DeployContext, HotfixRef } from "./context.js";
import { deploymentsPage } from "./context.js";
import { latestReported, progressOf } from "./deployment-state.js";
import { ensureDeployment, findStage, hotfixDeploymentsOf } from "./ensure-deployment.js";
import { mention, recordStage } from "./advance-hotfix.js";
import type { HotfixDeployment } from "./payload.js";
import { previousRelease } from "./previous-release.js";
import { openRevertPull } from "./revert-pull.js";
import { formatTime, rollbackStage, STAGE_IDS } from "./stage-text.js";
import { withBatchedTracking } from "./batched-tracking.js";

export type RollbackOutcome =
  | { kind: "refused"; reason: string }
  | {
      kind: "rolling-back";
      previousTag: string;
      deploymentId: number;
      created: boolean;
      revert: string;
    };

export function rollbackHotfix(
  ctx: DeployContext,
  hotfix: HotfixRef & { base: string; mergeSha: string },
  actor: string,
): Promise<RollbackOutcome> {
  return withBatchedTracking(ctx.tracking, (tracking) =>
    rollback({ ...ctx, tracking }, hotfix, actor),
  );
}

async function rollback(
  ctx: DeployContext,
  hotfix: HotfixRef & { base: string; mergeSha: string },
  actor: string,
): Promise<RollbackOutcome> {
  const production = ctx.deploy.environments.production;
  const ours = await hotfixDeploymentsOf(ctx.github, hotfix.tag);
  const shipped = findStage(ours, {
    pr: hotfix.pr,
    stage: "production",
    tag: hotfix.tag,
    environment: production,
  });
  if (!shipped) {
    return {
      kind: "refused",
      reason: `\`${hotfix.tag}\` was never deployed to \`${production}\` by hotfix-bot, so there is nothing to roll back.`,
    };
  }
  const template = parseTagTemplate(ctx.policy.release.tag);
  if (!template.ok) return { kind: "refused", reason: template.reason };
  const previous = previousRelease({
    tags: await ctx.github.listTagNames(template.prefix),
    template: ctx.policy.release.tag,
    version: hotfix.version,
    line: releaseLineOf(hotfix.base, ctx.policy.release.lines),
  });
  if (!previous.ok) return { kind: "refused", reason: `${previous.reason}. Roll back by hand.` };
  const { tag: previousTag, version } = previous.release;

  const made = await ensureDeployment(
    ctx.github,
    {
      payload: {
        pr: hotfix.pr,
        version,
        tag: previousTag,
        stage: "rollback",
        requested_by: actor,
        rollback_of: hotfix.tag,
      },
      environment: production,
      requiredContexts: [],
    },
    await hotfixDeploymentsOf(ctx.github, previousTag, production),
  );
  if (!made.ok) {
    return {
      kind: "refused",
      reason: `GitHub refused to deploy \`${previousTag}\` to \`${production}\` (${made.refusal.status}: ${made.refusal.message}). Roll back by hand.`,
    };
  }

  let revert = ctx.tracking.state.facts.revertPull ?? "";
  if (ctx.deploy.rollback.revert_pr && !revert) {
    const pull = await ctx.github.getPull(hotfix.pr);
    const opened = await openRevertPull(ctx.github, {
      pr: hotfix.pr,
      title: pull?.title ?? `hotfix #${hotfix.pr}`,
      tag: hotfix.tag,
      mergeSha: hotfix.mergeSha,
      base: hotfix.base,
    });
    revert = opened.ok
      ? `revert PR [#${opened.number}](${opened.url})`
      : `no revert PR: ${opened.reason}`;
  }

  const statuses = await ctx.github.listDeploymentStatuses(made.deployment.id);
  await recordRollback(ctx, made.deployment, statuses, revert);
  const monitor = ctx.tracking.state.stages[STAGE_IDS.monitor];
  if (!monitor || monitor.state === "running" || monitor.state === "pending") {
    await recordStage(ctx, STAGE_IDS.monitor, {
      state: "failed",
      text: `hotfix rolled back by @${actor} at ${formatTime(made.deployment.createdAt)}`,
      at: made.deployment.createdAt,
    });
  }
  return {
    kind: "rolling-back",
    previousTag,
    deploymentId: made.deployment.id,
    created: made.created,
    revert,
  };
}

/** The rollback line of the tracking comment, from the rollback deployment's statuses. */
export async function recordRollback(
  ctx: DeployContext,
  deployment: HotfixDeployment,
  statuses: readonly DeploymentStatus[],
  revert: string,
): Promise<boolean> {
  const latest = latestReported(statuses);
  return recordStage(
    ctx,
    STAGE_IDS.rollback,
    rollbackStage({
      previousTag: deployment.hotfix.tag,
      deployment,
      status: latest,
      requestedBy: deployment.hotfix.requested_by || "someone",
      fallbackLink: deploymentsPage(ctx.repoUrl),
      revert,
    }),
    { rollbackTag: deployment.hotfix.tag, ...(revert ? { revertPull: revert } : {}) },
  );
}

/** A `deployment_status` on a rollback deployment: show it; say so when it failed or landed. */
export function onRollbackStatus(
  ctx: DeployContext,
  hotfix: HotfixRef,
  deployment: HotfixDeployment,
): Promise<string> {
  return withBatchedTracking(ctx.tracking, (tracking) =>
    rollbackProgress({ ...ctx, tracking }, hotfix, deployment),
  );
}

async function rollbackProgress(
  ctx: DeployContext,
  hotfix: HotfixRef,
  deployment: HotfixDeployment,
): Promise<string> {
  const statuses = await ctx.github.listDeploymentStatuses(deployment.id);
  const changed = await recordRollback(
    ctx,
    deployment,
    statuses,
    ctx.tracking.state.facts.revertPull ?? "",
  );
  const progress = progressOf(latestReported(statuses));
  const asker = { ...hotfix, releasedBy: deployment.hotfix.requested_by || hotfix.releasedBy };
  if (changed && progress === "failed") {
    await mention(
      ctx,
      asker,
      `❌ the rollback of \`${ctx.deploy.environments.production}\` to \`${deployment.hotfix.tag}\` failed. Check the deployer (${deploymentsPage(ctx.repoUrl)}) and roll back by hand if needed.`,
    );
  }
  if (changed && progress === "success") {
    await mention(
      ctx,
      asker,
      `✅ \`${ctx.deploy.environments.production}\` is back on \`${deployment.hotfix.tag}\`.`,
    );
  }
  return `rollback to ${deployment.hotfix.tag}: ${progress}`;
}
