/**
 * Pure: the tracking comment's deploy lines. Every time shown and every `at` comes from GitHub
 * (a status's or deployment's creation time), never from the clock, so re-judging the same
 * facts yields the same comment and a redelivered event writes nothing.
 */
import type {
  Deployment,
  DeploymentCreation,
  DeploymentStatus,
} from "../github/port/deployments.js";
import type { Stage } from "./stage.js";
import { progressOf } from "./deployment-state.js";
import { PROMOTE_COMMAND } from "../commands/names.js";
import type { WindowVerdict } from "./schema.js";

/** `2026-11-26 10:04 UTC`: readable, unambiguous for a team across time zones. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export const skippedStage = (): Stage => ({
  state: "skipped",
  text: "skipped: the policy has no `deploy:` section, so hotfix-bot does not deploy releases in this repository",
});

/** A staging or production deployment, as its latest reported status shows it. */
export function deploymentStage(input: {
  tag: string;
  deployment: Pick<Deployment, "id" | "environment" | "createdAt">;
  status: DeploymentStatus | null;
  /** The repository's deployments page, when the deployer gave no link. */
  fallbackLink: string;
}): Stage {
  const { tag, deployment, status } = input;
  const env = `\`${deployment.environment}\``;
  const link = status?.url ?? input.fallbackLink;
  const why = status?.description ? `: ${status.description}` : "";
  switch (progressOf(status)) {
    case "waiting":
      return {
        state: "running",
        text: `\`${tag}\` → ${env}: deployment ${deployment.id} created ${formatTime(deployment.createdAt)}, waiting for the deployer${status ? ` (${status.state})` : ""}`,
        link,
        at: status?.createdAt ?? deployment.createdAt,
      };
    case "running":
      return {
        state: "running",
        text: `\`${tag}\` → ${env}: in progress since ${formatTime((status as DeploymentStatus).createdAt)}`,
        link,
        at: (status as DeploymentStatus).createdAt,
      };
    case "success":
      return {
        state: "done",
        text: `\`${tag}\` live on ${env} since ${formatTime((status as DeploymentStatus).createdAt)}`,
        link,
        at: (status as DeploymentStatus).createdAt,
      };
    case "failed":
      return {
        state: "failed",
        text: `\`${tag}\` ${(status as DeploymentStatus).state} on ${env} at ${formatTime((status as DeploymentStatus).createdAt)}${why}`,
        link,
        at: (status as DeploymentStatus).createdAt,
      };
  }
}

/** GitHub refused to create the deployment (409: a required context is not green). */
export function refusedStage(input: {
  tag: string;
  environment: string;
  refusal: Extract<DeploymentCreation, { created: false }>;
  requiredContexts: readonly string[];
}): Stage {
  const contexts = input.requiredContexts.map((c) => `\`${c}\``).join(", ");
  const hint =
    input.refusal.status === 409 && input.requiredContexts.length > 0
      ? ` The policy's \`deploy.required_contexts\` (${contexts}) must all have succeeded on the tag's commit; once they have, comment \`${PROMOTE_COMMAND}\` to try again.`
      : ` Comment \`${PROMOTE_COMMAND}\` to try again once this is fixed.`;
  return {
    state: "failed",
    text: `GitHub refused to deploy \`${input.tag}\` to \`${input.environment}\` (${input.refusal.status}: ${input.refusal.message}).${hint}`,
  };
}

export const awaitingPromotionStage = (environment: string, stagingLiveAt: string): Stage => ({
  state: "pending",
  text: `waiting for \`${PROMOTE_COMMAND}\` from someone allowed to release (policy \`deploy.promote: manual\`) to deploy to \`${environment}\``,
  at: stagingLiveAt,
});

export function monitorStage(input: {
  verdict: Exclude<WindowVerdict, { state: "not-started" }>;
  minutes: number;
  watching: string;
  rollbackHint: string;
}): Stage {
  const { verdict } = input;
  switch (verdict.state) {
    case "open":
      return {
        state: "running",
        text: `watching production until ${formatTime(verdict.closesAt)} (${input.minutes} min from ${formatTime(verdict.opensAt)}): ${input.watching}`,
        at: verdict.opensAt,
      };
    case "clean":
      return {
        state: "done",
        text: `closed clean at ${formatTime(verdict.endedAt)}: ${verdict.reason}`,
        at: verdict.endedAt,
      };
    case "failed":
      return {
        state: "failed",
        text: `hotfix failed at ${formatTime(verdict.signal.at)}: ${verdict.signal.what}. ${input.rollbackHint}`,
        ...(verdict.signal.link ? { link: verdict.signal.link } : {}),
        at: verdict.signal.at,
      };
  }
}

/** What the window watches, in words, for the open-window line. */
export function describeSignals(signals: {
  checks: readonly string[];
  labels: readonly string[];
}): string {
  const parts = ["failures reported on the production deployment"];
  if (signals.checks.length > 0)
    parts.push(`failing ${signals.checks.map((c) => `\`${c}\``).join(", ")} on the tag's commit`);
  if (signals.labels.length > 0)
    parts.push(`new issues labelled ${signals.labels.map((l) => `\`${l}\``).join(", ")}`);
  return parts.join(", ");
}

export function rollbackStage(input: {
  previousTag: string;
  deployment: Pick<Deployment, "id" | "environment" | "createdAt">;
  status: DeploymentStatus | null;
  requestedBy: string;
  fallbackLink: string;
  /** "revert PR #45" or why there is none; empty when the policy asks for none. */
  revert: string;
}): Stage {
  const shown = deploymentStage({
    tag: input.previousTag,
    deployment: input.deployment,
    status: input.status,
    fallbackLink: input.fallbackLink,
  });
  const revert = input.revert ? `; ${input.revert}` : "";
  return {
    ...shown,
    text: `asked by @${input.requestedBy}: ${shown.text}${revert}`,
  };
}
