/**
 * `/rollback-hotfix`: put the previous release of the hotfix's line back on production — a
 * production deployment of that tag, marked as a rollback in its payload — and, when the policy
 * asks, open a PR reverting the hotfix. As a step of the hotfix's one writer, from the record
 * derived from GitHub: a repeated command reuses the rollback deployment, and retries the revert
 * PR if GitHub refused it the first time. A rollback never waits for `required_contexts`: it
 * ships a release that was already live, and it is an emergency.
 */
import type { HotfixStep } from "../record/step.js";
import type { HotfixDeployment } from "../record/deployment-payload.js";
import { asHotfixDeployment } from "../record/deployment-payload.js";
import { latestReported, progressOf } from "../record/deployment-state.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import { createStage } from "./create-stage.js";
import { previousRelease } from "./previous-release.js";
import { openRevertPull } from "./revert-pull.js";

export type RollbackOutcome =
  | { kind: "refused"; reason: string }
  | {
      kind: "rolling-back";
      previousTag: string;
      deploymentId: number;
      created: boolean;
      revert: string;
    };

export async function rollbackHotfix(step: HotfixStep, actor: string): Promise<RollbackOutcome> {
  const { record, policy, github } = step;
  const deploy = policy.deploy;
  const production = deploy?.environments.production ?? "production";
  const tag = record.tag;
  if (!deploy || !tag || record.deploy.kind !== "on" || !record.deploy.production) {
    return {
      kind: "refused",
      reason: `${tag ? `\`${tag.name}\`` : "this hotfix"} was never deployed to \`${production}\` by hotfix-bot, so there is nothing to roll back.`,
    };
  }
  const asked = record.stored.rollback;
  let previousTag = asked?.previousTag;
  if (!previousTag) {
    const template = parseTagTemplate(policy.release.tag);
    if (!template.ok) return { kind: "refused", reason: template.reason };
    const previous = previousRelease({
      tags: await github.listTagNames(template.prefix),
      template: policy.release.tag,
      version: tag.version,
      line: releaseLineOf(record.base, policy.release.lines),
    });
    if (!previous.ok) return { kind: "refused", reason: `${previous.reason}. Roll back by hand.` };
    previousTag = previous.release.tag;
  }
  const version = parseTagTemplate(policy.release.tag);
  const previousVersion = (version.ok ? version.versionOf(previousTag) : null) ?? previousTag;

  // The record knows it when the rollback was recorded; after a crash before that, GitHub does.
  let deployment = record.deploy.rollback ?? (await findRollback(step, previousTag, production));
  let created = false;
  if (!deployment) {
    const made = await createStage(github, {
      payload: {
        pr: record.pr,
        version: previousVersion,
        tag: previousTag,
        stage: "rollback",
        requested_by: actor,
        rollback_of: tag.name,
      },
      environment: production,
      requiredContexts: [],
    });
    if (!made.ok) {
      return {
        kind: "refused",
        reason: `GitHub refused to deploy \`${previousTag}\` to \`${production}\` (${made.refusal.status}: ${made.refusal.message}). Roll back by hand.`,
      };
    }
    deployment = made.deployment;
    created = true;
  }
  step.store((s) => ({
    ...s,
    rollback: {
      by: asked?.by ?? actor,
      at: asked?.at ?? deployment.createdAt,
      previousTag: previousTag as string,
    },
  }));

  if (!record.stored.window) {
    step.store((s) => ({
      ...s,
      window: {
        state: "rolled-back",
        at: deployment.createdAt,
        what: `rolled back by @${asked?.by ?? actor}`,
        link: null,
      },
    }));
  }
  let revert = "";
  if (deploy.rollback.revert_pr) {
    const opened = await openRevertPull(github, {
      pr: record.pr,
      prUrl: record.url,
      title: record.title,
      tag: tag.name,
      mergeSha: tag.commitSha,
      base: record.base,
      actor,
    });
    if (opened.ok) revert = `revert PR [#${opened.number}](${opened.url})`;
    else {
      revert = `no revert PR: ${opened.reason}`;
      step.store((s) =>
        s.rollback ? { ...s, rollback: { ...s.rollback, revertFailure: opened.reason } } : s,
      );
    }
  }
  return {
    kind: "rolling-back",
    previousTag,
    deploymentId: deployment.id,
    created,
    revert,
  };
}

async function findRollback(step: HotfixStep, previousTag: string, environment: string) {
  const tag = step.record.tag?.name;
  const found = (await step.github.listDeployments({ ref: previousTag, environment }))
    .map(asHotfixDeployment)
    .find(
      (d): d is HotfixDeployment =>
        d !== null &&
        d.hotfix.pr === step.record.pr &&
        d.hotfix.stage === "rollback" &&
        d.hotfix.rollback_of === tag,
    );
  if (!found) return null;
  const { id, ref, sha, createdAt, hotfix } = found;
  return { id, ref, sha, environment, createdAt, hotfix, statuses: [] };
}

/** A `deployment_status` on a rollback deployment: say so when it failed or landed, once. */
export async function rollbackProgress(step: HotfixStep): Promise<string> {
  const section = step.record.deploy;
  const production = step.policy.deploy?.environments.production ?? "production";
  const rollback = section.kind === "on" ? section.rollback : null;
  if (!rollback) return "no rollback recorded";
  const latest = latestReported(rollback.statuses);
  const progress = progressOf(latest);
  const asker = rollback.hotfix.requested_by || step.record.stored.rollback?.by || "";
  const mention = asker ? `@${asker} ` : "";
  if (progress === "failed") {
    await step.notify(
      `rollback-failed:${rollback.id}:${latest?.id ?? 0}`,
      `${mention}❌ the rollback of \`${production}\` to \`${rollback.hotfix.tag}\` failed. Check the deployer and roll back by hand if needed.`,
    );
  }
  if (progress === "success") {
    await step.notify(
      `rollback-done:${rollback.id}`,
      `${mention}✅ \`${production}\` is back on \`${rollback.hotfix.tag}\`.`,
    );
  }
  return `rollback to ${rollback.hotfix.tag}: ${progress}`;
}
