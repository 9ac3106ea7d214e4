/**
 * Moves one released hotfix along staging → production → monitoring window, deciding every
 * step from what GitHub holds (our deployments of the tag, their statuses, the signals on the
 * tag's commit), not from memory: any event, a command, a restarted app or a sweep calls this
 * and reaches the same decision. The tracking comment records the outcome; it is written only
 * when what it shows changed, and a person is mentioned only when a stage changes to a state
 * that needs one (failed, or waiting for `/promote-hotfix`), so redeliveries stay silent.
 *
 * Requests: 1 (our deployments of the tag) + 1 per deployment's statuses, + the window's
 * signal reads (check runs and statuses when `signals.checks` is set, one issue search per
 * label) while the window is undecided; a write only to create a missing stage or update
 * the comment.
 */
import type { DeploymentStatus } from "../github/port/deployments.js";
import type { Stage } from "../tracking/state.js";
import { setFacts, setStage } from "../tracking/state.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import type { DeployContext, HotfixRef } from "./context.js";
import { deploymentsPage } from "./context.js";
import { firstSuccess, latestReported, progressOf } from "./deployment-state.js";
import { ensureDeployment, findStage, hotfixDeploymentsOf } from "./ensure-deployment.js";
import type { DeployStage, HotfixDeployment } from "./payload.js";
import { previousRelease } from "./previous-release.js";
import {
  awaitingPromotionStage,
  deploymentStage,
  describeSignals,
  formatTime,
  monitorStage,
  refusedStage,
  STAGE_IDS,
} from "./stage-text.js";
import { judgeWindow } from "./window.js";
import { PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";
import { withBatchedTracking } from "./batched-tracking.js";

export interface AdvanceOptions {
  /** Create the staging deployment when the tag has none (release, `/promote-hotfix`). */
  createStaging: boolean;
  /** Create the production deployment once staging succeeded (`promote: auto`, the command). */
  promote: boolean;
  /** Who asked (the promoter), recorded in new deployments' payload; default the releaser. */
  actor?: string;
}

/** Records a stage; true when its state changed (so a person may need to hear about it). */
export async function recordStage(
  ctx: DeployContext,
  id: string,
  stage: Stage,
  facts: Record<string, string> = {},
): Promise<boolean> {
  const before = ctx.tracking.state.stages[id]?.state;
  await ctx.tracking.update((s) => setStage(setFacts(s, facts), id, stage));
  return before !== stage.state;
}

export async function mention(ctx: DeployContext, hotfix: HotfixRef, text: string): Promise<void> {
  const who = hotfix.releasedBy ? `@${hotfix.releasedBy} ` : "";
  const progress = ctx.tracking.url();
  await ctx.github.createComment(
    hotfix.pr,
    `${who}${text}${progress ? `\n\nProgress: ${progress}` : ""}`,
  );
}

export function advanceHotfix(
  ctx: DeployContext,
  hotfix: HotfixRef,
  options: AdvanceOptions,
): Promise<string> {
  return withBatchedTracking(ctx.tracking, (tracking) =>
    advance({ ...ctx, tracking }, hotfix, options),
  );
}

async function advance(
  ctx: DeployContext,
  hotfix: HotfixRef,
  options: AdvanceOptions,
): Promise<string> {
  const ours = (await hotfixDeploymentsOf(ctx.github, hotfix.tag)).filter(
    (d) => d.hotfix.pr === hotfix.pr,
  );

  const staging = await stageDeployment(
    ctx,
    hotfix,
    "staging",
    ours,
    options,
    options.createStaging,
  );
  if (!staging.ok) return staging.decision;
  const stagingStatus = latestReported(
    await ctx.github.listDeploymentStatuses(staging.deployment.id),
  );
  const stagingShown = deploymentStage({
    tag: hotfix.tag,
    deployment: staging.deployment,
    status: stagingStatus,
    fallbackLink: deploymentsPage(ctx.repoUrl),
  });
  const stagingChanged = await recordStage(ctx, STAGE_IDS.staging, stagingShown);
  const stagingProgress = progressOf(stagingStatus);
  if (stagingProgress === "failed") {
    if (stagingChanged) {
      await mention(
        ctx,
        hotfix,
        `the staging deployment of \`${hotfix.tag}\` failed (${stagingShown.text}), so it was **not** promoted to production. Details: ${stagingShown.link}. If the deployer later reports success on that deployment (e.g. a re-run job), hotfix-bot carries on from there.`,
      );
    }
    return `staging failed: not promoted`;
  }
  if (stagingProgress !== "success") return `staging ${stagingProgress}`;

  const productionEnv = ctx.deploy.environments.production;
  const existing = findStage(ours, {
    pr: hotfix.pr,
    stage: "production",
    tag: hotfix.tag,
    environment: productionEnv,
  });
  if (!existing && !options.promote) {
    const changed = await recordStage(
      ctx,
      STAGE_IDS.production,
      awaitingPromotionStage(productionEnv, (stagingStatus as DeploymentStatus).createdAt),
    );
    if (changed) {
      await mention(
        ctx,
        hotfix,
        `\`${hotfix.tag}\` is live on \`${staging.deployment.environment}\`. Comment \`${PROMOTE_COMMAND}\` to deploy it to \`${productionEnv}\`.`,
      );
    }
    return "staging succeeded: waiting for /promote-hotfix";
  }
  const production = await stageDeployment(ctx, hotfix, "production", ours, options, true);
  if (!production.ok) return production.decision;
  const statuses = await ctx.github.listDeploymentStatuses(production.deployment.id);
  const latest = latestReported(statuses);
  const productionShown = deploymentStage({
    tag: hotfix.tag,
    deployment: production.deployment,
    status: latest,
    fallbackLink: deploymentsPage(ctx.repoUrl),
  });
  await recordStage(ctx, STAGE_IDS.production, productionShown);
  const progress = progressOf(latest);
  if (progress === "waiting" || progress === "running") return `production ${progress}`;
  if (progress === "failed" && !firstSuccess(statuses)) {
    // It never went live: there is no window, the hotfix failed on arrival.
    const changed = await recordStage(ctx, STAGE_IDS.monitor, {
      state: "failed",
      text: `hotfix failed: the production deployment never succeeded. ${rollbackHint()}`,
      at: (latest as DeploymentStatus).createdAt,
    });
    if (changed) {
      await failureNotice(
        ctx,
        hotfix,
        `its production deployment reported ${productionShown.text}`,
        productionShown.link ?? null,
      );
    }
    return "production failed: hotfix failed";
  }
  return reviewWindow(ctx, hotfix, production.deployment, statuses);
}

/** The deployment of a stage, created when missing and allowed; a refusal is recorded. */
async function stageDeployment(
  ctx: DeployContext,
  hotfix: HotfixRef,
  stage: Extract<DeployStage, "staging" | "production">,
  ours: readonly HotfixDeployment[],
  options: AdvanceOptions,
  create: boolean,
): Promise<{ ok: true; deployment: HotfixDeployment } | { ok: false; decision: string }> {
  const environment = ctx.deploy.environments[stage];
  const found = findStage(ours, { pr: hotfix.pr, stage, tag: hotfix.tag, environment });
  if (found) return { ok: true, deployment: found };
  if (!create) return { ok: false, decision: `no ${stage} deployment of ${hotfix.tag}` };
  const made = await ensureDeployment(
    ctx.github,
    {
      payload: {
        pr: hotfix.pr,
        version: hotfix.version,
        tag: hotfix.tag,
        stage,
        requested_by: options.actor ?? hotfix.releasedBy,
      },
      environment,
      requiredContexts: ctx.deploy.required_contexts,
    },
    ours,
  );
  if (made.ok) return { ok: true, deployment: made.deployment };
  const shown = refusedStage({
    tag: hotfix.tag,
    environment,
    refusal: made.refusal,
    requiredContexts: ctx.deploy.required_contexts,
  });
  if (await recordStage(ctx, STAGE_IDS[stage], shown)) await mention(ctx, hotfix, shown.text);
  return { ok: false, decision: `${stage} refused by GitHub (${made.refusal.status})` };
}

/**
 * The monitoring window of a hotfix that went live. A window recorded as closed (clean or
 * failed) stays closed: a late signal after a clean close is a new incident, not this hotfix.
 */
export async function reviewWindow(
  ctx: DeployContext,
  hotfix: HotfixRef,
  production: HotfixDeployment,
  statuses: readonly DeploymentStatus[],
): Promise<string> {
  const recorded = ctx.tracking.state.stages[STAGE_IDS.monitor];
  if (recorded && (recorded.state === "done" || recorded.state === "failed")) {
    return `window already closed (${recorded.state === "done" ? "clean" : "failed"})`;
  }
  const live = firstSuccess(statuses);
  if (!live) return "production not live yet";
  const { signals, minutes } = ctx.deploy.monitor;
  const checked = signals.checks.length > 0;
  const [checkRuns, commitStatuses] = checked
    ? await Promise.all([
        ctx.github.listCheckRuns(production.sha),
        ctx.github.listStatuses(production.sha),
      ])
    : [[], []];
  const issues = [];
  for (const label of signals.labels)
    issues.push(...(await ctx.github.listIssuesWithLabel(label, live.createdAt)));
  const verdict = judgeWindow({
    now: ctx.now,
    minutes,
    signals,
    statuses,
    checkRuns,
    commitStatuses,
    issues,
    ownAppId: ctx.ownAppId,
  });
  if (verdict.state === "not-started") return "production not live yet";
  const shown = monitorStage({
    verdict,
    minutes,
    watching: describeSignals(signals),
    rollbackHint: rollbackHint(),
  });
  // The deadline is a hint for people reading the comment; GitHub's status times decide it.
  const changed = await recordStage(ctx, STAGE_IDS.monitor, shown, {
    monitorUntil: verdict.closesAt,
  });
  switch (verdict.state) {
    case "open":
      return `window open until ${verdict.closesAt}`;
    case "clean":
      return `window closed clean at ${verdict.endedAt}`;
    case "failed":
      if (changed) {
        await failureNotice(
          ctx,
          hotfix,
          `${verdict.signal.what} at ${formatTime(verdict.signal.at)}, inside its monitoring window`,
          verdict.signal.link,
        );
      }
      return `hotfix failed: ${verdict.signal.what}`;
  }
}

const rollbackHint = () =>
  `Comment \`${ROLLBACK_COMMAND}\` to deploy the previous release of the line to production.`;

/** Mentions the releaser once the hotfix failed, naming the release a rollback would restore. */
async function failureNotice(
  ctx: DeployContext,
  hotfix: HotfixRef,
  what: string,
  link: string | null,
): Promise<void> {
  const template = parseTagTemplate(ctx.policy.release.tag);
  const base = ctx.tracking.state.facts.base;
  const previous = template.ok
    ? previousRelease({
        tags: await ctx.github.listTagNames(template.prefix),
        template: ctx.policy.release.tag,
        version: hotfix.version,
        line: base ? releaseLineOf(base, ctx.policy.release.lines) : null,
      })
    : null;
  const offer = previous?.ok
    ? `To put \`${previous.release.tag}\` back on \`${ctx.deploy.environments.production}\`, comment \`${ROLLBACK_COMMAND}\`${ctx.deploy.rollback.revert_pr ? " (it also opens a PR reverting this hotfix)" : ""}.`
    : `\`${ROLLBACK_COMMAND}\` cannot help here: ${previous ? previous.reason : "the tag template is invalid"}. Roll back by hand.`;
  await mention(
    ctx,
    hotfix,
    `❌ the hotfix \`${hotfix.tag}\` **failed**: ${what}${link ? ` (${link})` : ""}. ${offer}`,
  );
}
