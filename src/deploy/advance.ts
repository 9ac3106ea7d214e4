/**
 * Moves one released hotfix along staging → production → monitoring window, as a step of its one
 * writer. Every decision is made from the record derived from GitHub a moment ago (our
 * deployments of the tag, their statuses, the window's signals), so any event, a command, a
 * restarted app or the sweep reaches the same decision; what this step changes on GitHub (a
 * deployment created) is shown by the record derived again before the comment is written.
 * A person is told once per happening (a notice keyed by the deployment and status it is about),
 * so redeliveries stay silent.
 */
import type { DeploymentStatus } from "../github/port/deployments.js";
import type { DeployOn, DeploymentFacts } from "../record/schema.js";
import type { HotfixStep } from "../record/step.js";
import { firstSuccess, latestReported, progressOf } from "../record/deployment-state.js";
import { deploymentStage, formatTime, refusedStage } from "../record/stage-text.js";
import { repoUrlOf } from "../record/render.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import { PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";
import { createStage } from "./create-stage.js";
import { isGitHubError } from "../github/errors.js";
import { previousRelease } from "./previous-release.js";
import { judgeMetrics } from "../monitor/judge.js";
import { rollbackOnFailure } from "./rollback-on-failure.js";

export interface AdvanceOptions {
  /** Create the staging deployment when the tag has none (release, `/promote-hotfix`). */
  createStaging: boolean;
  /** Create the production deployment once staging succeeded (`promote: auto`, the command). */
  promote: boolean;
  /** Who asked (the promoter), recorded in new deployments' payload; default the releaser. */
  actor?: string | undefined;
}

export async function advanceHotfix(step: HotfixStep, options: AdvanceOptions): Promise<string> {
  const record = step.record;
  const deployPolicy = step.policy.deploy;
  if (!deployPolicy) return "no deploy policy";
  if (!record.tag || record.deploy.kind !== "on") return "not released";
  const tag = record.tag;
  const section: DeployOn = record.deploy;
  const releasedBy = record.stored.release?.by || section.staging?.hotfix.requested_by || "";
  const mention = releasedBy ? `@${releasedBy} ` : "";
  const progressLink = step.trackingUrl ? `\n\nProgress: ${step.trackingUrl}` : "";
  const tell = (key: string, text: string) => step.notify(key, `${mention}${text}${progressLink}`);
  const link = `${repoUrlOf(record)}/deployments`;

  const create = async (stage: "staging" | "production") => {
    const environment = section.environments[stage];
    const made = await createStage(step.github, {
      payload: {
        pr: record.pr,
        version: tag.version,
        tag: tag.name,
        stage,
        requested_by: options.actor ?? releasedBy,
      },
      environment,
      requiredContexts: deployPolicy.required_contexts,
    }).catch((error: unknown) => {
      // GitHub failed (a 5xx): the same as a refusal for the person — try again later.
      if (!isGitHubError(error)) throw error;
      return {
        ok: false as const,
        refusal: { created: false as const, status: error.status, message: error.message },
      };
    });
    if (made.ok) {
      step.store((s) => {
        const { deployRefusal: _done, ...rest } = s;
        return rest;
      });
      return made.deployment;
    }
    const shown = refusedStage({
      tag: tag.name,
      environment,
      refusal: made.refusal,
      requiredContexts: deployPolicy.required_contexts,
    });
    step.store((s) => ({
      ...s,
      deployRefusal: {
        stage,
        status: made.refusal.status,
        message: made.refusal.message,
        at: step.now().toISOString(),
      },
    }));
    await tell(`refused:${stage}:${tag.name}:${made.refusal.status}`, shown.text);
    return null;
  };

  let staging: DeploymentFacts | null = section.staging;
  if (!staging) {
    if (!options.createStaging) return `no staging deployment of ${tag.name}`;
    staging = await create("staging");
    if (!staging) return `staging refused by GitHub`;
  }
  const stagingStatus = latestReported(staging.statuses);
  const stagingProgress = progressOf(stagingStatus);
  if (stagingProgress === "failed") {
    const shown = deploymentStage({
      tag: tag.name,
      deployment: staging,
      status: stagingStatus,
      fallbackLink: link,
    });
    await tell(
      `staging-failed:${staging.id}:${stagingStatus?.id ?? 0}`,
      `the staging deployment of \`${tag.name}\` failed (${shown.text}), so it was **not** promoted to production. Details: ${shown.link}. If the deployer later reports success on that deployment (e.g. a re-run job), hotfix-bot carries on from there.`,
    );
    return "staging failed: not promoted";
  }
  if (stagingProgress !== "success") return `staging ${stagingProgress}`;

  let production: DeploymentFacts | null = section.production;
  if (!production) {
    if (!options.promote) {
      await tell(
        `promote:${staging.id}`,
        `\`${tag.name}\` is live on \`${staging.environment}\`. Comment \`${PROMOTE_COMMAND}\` to deploy it to \`${section.environments.production}\`.`,
      );
      return "staging succeeded: waiting for /promote-hotfix";
    }
    production = await create("production");
    if (!production) return "production refused by GitHub";
  }

  const latest = latestReported(production.statuses);
  const progress = progressOf(latest);
  if (progress === "waiting" || progress === "running") return `production ${progress}`;
  if (record.stored.window) {
    return `window already closed (${record.stored.window.state})`;
  }
  if (progress === "failed" && !firstSuccess(production.statuses)) {
    // It never went live: there is no window, the hotfix failed on arrival.
    const failedAt = (latest as DeploymentStatus).createdAt;
    const shown = deploymentStage({
      tag: tag.name,
      deployment: production,
      status: latest,
      fallbackLink: link,
    });
    closeWindow(
      step,
      "failed",
      failedAt,
      "the production deployment never succeeded",
      shown.link ?? null,
    );
    await failureNotice(
      step,
      production,
      tell,
      `its production deployment reported ${shown.text}`,
      shown.link ?? null,
    );
    return "production failed: hotfix failed";
  }
  const verdict = section.window;
  if (!verdict || verdict.state === "not-started") return "production not live yet";
  const metrics = judgeMetrics(
    verdict,
    deployPolicy.monitor.signals.prometheus,
    record.stored.metrics,
  );
  if (metrics.state === "inconclusive") {
    step.store((s) => ({
      ...s,
      window: { state: "inconclusive", at: metrics.at, what: metrics.what, link: null },
    }));
    return `window closed inconclusive: ${metrics.what}`;
  }
  if (metrics.state === "failed") {
    closeWindow(step, "failed", metrics.at, metrics.what, null);
    await failureNotice(
      step,
      production,
      tell,
      `${metrics.what} at ${formatTime(metrics.at)}, inside its monitoring window`,
      null,
    );
    return `hotfix failed: ${metrics.what}${await rollbackOnFailure(step, metrics.what)}`;
  }
  switch (verdict.state) {
    case "open":
      return `window open until ${verdict.closesAt}`;
    case "clean":
      closeWindow(step, "clean", verdict.endedAt, verdict.reason, null);
      return `window closed clean at ${verdict.endedAt}`;
    case "failed":
      closeWindow(step, "failed", verdict.signal.at, verdict.signal.what, verdict.signal.link);
      await failureNotice(
        step,
        production,
        tell,
        `${verdict.signal.what} at ${formatTime(verdict.signal.at)}, inside its monitoring window`,
        verdict.signal.link,
      );
      return `hotfix failed: ${verdict.signal.what}${await rollbackOnFailure(step, verdict.signal.what)}`;
  }
}

/** A closed window stays closed: the verdict is stored, and a later signal is a new incident. */
function closeWindow(
  step: HotfixStep,
  state: "clean" | "failed",
  at: string,
  what: string,
  link: string | null,
): void {
  step.store((s) => ({ ...s, window: { state, at, what, link } }));
}

/** Tells the releaser once that the hotfix failed, naming the release a rollback restores. */
async function failureNotice(
  step: HotfixStep,
  production: DeploymentFacts,
  tell: (key: string, text: string) => Promise<unknown>,
  what: string,
  link: string | null,
): Promise<void> {
  const { record, policy, github } = step;
  const tag = record.tag;
  const deploy = policy.deploy;
  if (!tag || !deploy) return;
  const template = parseTagTemplate(policy.release.tag);
  const previous = template.ok
    ? previousRelease({
        tags: await github.listTagNames(template.prefix),
        template: policy.release.tag,
        version: tag.version,
        line: releaseLineOf(record.base, policy.release.lines),
      })
    : null;
  const offer = previous?.ok
    ? `To put \`${previous.release.tag}\` back on \`${deploy.environments.production}\`, comment \`${ROLLBACK_COMMAND}\`${deploy.rollback.revert_pr ? " (it also opens a PR reverting this hotfix)" : ""}.`
    : `\`${ROLLBACK_COMMAND}\` cannot help here: ${previous ? previous.reason : "the tag template is invalid"}. Roll back by hand.`;
  await tell(
    `hotfix-failed:${production.id}`,
    `❌ the hotfix \`${tag.name}\` **failed**: ${what}${link ? ` (${link})` : ""}. ${offer}`,
  );
}
