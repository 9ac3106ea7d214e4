/**
 * `/promote-hotfix` and `/rollback-hotfix` on a released hotfix PR: authorised like a release
 * (`release.allowed`), then the use-case. Both are safe to repeat: they look at the hotfix's
 * deployments on GitHub first and never create a second one for the same stage.
 */
import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { authorise } from "../access/authorise.js";
import { openTracking } from "../tracking/tracking-comment.js";
import { advanceHotfix } from "./advance-hotfix.js";
import type { DeployContext, HotfixRef } from "./context.js";
import { rollbackHotfix } from "./rollback.js";
import { PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";
import { STAGE_IDS } from "./stage-text.js";

export interface DeployCommand {
  kind: "promote" | "rollback";
  pullNumber: number;
  commentId: number;
  actor: string;
  policy: Policy;
  repoUrl: string;
  ownAppId: number | null;
  now?: Date;
}

export async function onDeployCommand(github: GitHubPort, command: DeployCommand): Promise<string> {
  const name = command.kind === "promote" ? PROMOTE_COMMAND : ROLLBACK_COMMAND;
  const reply = (text: string) =>
    github.createComment(command.pullNumber, `@${command.actor} ${text}`);
  const refuse = async (text: string, decision: string) => {
    await github.react(command.commentId, "confused");
    await reply(text);
    return `refused: ${decision}`;
  };

  const auth = await authorise(
    github,
    command.actor,
    command.policy.release.allowed,
    command.kind === "promote" ? "promote hotfixes" : "roll back hotfixes",
  );
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    return `refused: @${command.actor} not allowed to ${command.kind}`;
  }
  const deploy = command.policy.deploy;
  if (!deploy) {
    return refuse(
      `\`${name}\` does nothing here: the hotfix policy has no \`deploy:\` section, so hotfix-bot does not deploy this repository's releases.`,
      "no deploy policy",
    );
  }
  const tracking = await openTracking(github, command.pullNumber);
  const { tag, version, base, mergeSha, releasedBy } = tracking.state.facts;
  if (!tag || !version) {
    return refuse(
      `\`${name}\` needs a released hotfix, and hotfix-bot has not released this PR (its tracking comment names no tag). Release it first with \`${command.policy.release.command}\`.`,
      "not released",
    );
  }
  const ctx: DeployContext = {
    github,
    policy: command.policy,
    deploy,
    tracking,
    repoUrl: command.repoUrl,
    ownAppId: command.ownAppId,
    now: command.now ?? new Date(),
  };
  const hotfix: HotfixRef = {
    pr: command.pullNumber,
    tag,
    version,
    releasedBy: releasedBy ?? command.actor,
  };
  await github.react(command.commentId, "eyes");

  if (command.kind === "promote") {
    const decision = await advanceHotfix(ctx, hotfix, {
      createStaging: true,
      promote: true,
      actor: command.actor,
    });
    const production = tracking.state.stages[STAGE_IDS.production];
    if (production && production.state !== "pending" && production.state !== "failed") {
      await github.react(command.commentId, "rocket");
      return `promoted: ${decision}`;
    }
    const staging = tracking.state.stages[STAGE_IDS.staging];
    return refuse(
      `\`${tag}\` was not promoted to \`${deploy.environments.production}\`: ${staging?.state === "done" ? (production?.text ?? decision) : `staging must succeed first, and it ${staging ? `stands at: ${staging.text}` : "has no deployment yet"}`}.`,
      decision,
    );
  }

  if (!base || !mergeSha) {
    return refuse(
      `the tracking comment does not record this hotfix's base branch and commit, so the line to roll back on is unknown. Roll back by hand.`,
      "facts missing",
    );
  }
  const outcome = await rollbackHotfix(ctx, { ...hotfix, base, mergeSha }, command.actor);
  if (outcome.kind === "refused") return refuse(outcome.reason, outcome.reason);
  await github.react(command.commentId, "rocket");
  await reply(
    `${outcome.created ? "rolling" : "already rolling"} \`${deploy.environments.production}\` back to \`${outcome.previousTag}\` (deployment ${outcome.deploymentId})${outcome.revert ? `; ${outcome.revert}` : ""}. Progress is in the tracking comment${tracking.url() ? `: ${tracking.url()}` : ""}.`,
  );
  return `rollback to ${outcome.previousTag} (${outcome.created ? "created" : "reused"})`;
}
