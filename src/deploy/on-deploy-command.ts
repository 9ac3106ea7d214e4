/**
 * `/promote-hotfix` and `/rollback-hotfix` on a released hotfix PR: authorised like a release
 * (`release.allowed`), then a step of the hotfix's one writer. Both are safe to repeat: the
 * record derived from GitHub says which deployments exist, and none is created twice.
 */
import { authorise } from "../access/authorise.js";
import { PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";
import { runHotfixStep, type StepContext } from "../record/step.js";
import { stagesOf } from "../record/render.js";
import { advanceHotfix } from "./advance.js";
import { rollbackHotfix } from "./rollback.js";

export interface DeployCommand {
  kind: "promote" | "rollback";
  pullNumber: number;
  commentId: number;
  actor: string;
}

export async function onDeployCommand(ctx: StepContext, command: DeployCommand): Promise<string> {
  const { github, policy } = ctx;
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
    policy.release.allowed,
    command.kind === "promote" ? "promote hotfixes" : "roll back hotfixes",
  );
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    return `refused: @${command.actor} not allowed to ${command.kind}`;
  }
  const deploy = policy.deploy;
  if (!deploy) {
    return refuse(
      `\`${name}\` does nothing here: the hotfix policy has no \`deploy:\` section, so hotfix-bot does not deploy this repository's releases.`,
      "no deploy policy",
    );
  }

  const ended = await runHotfixStep(ctx, command.pullNumber, async (step) => {
    if (!step.record.tag) return { kind: "not-released" as const };
    await github.react(command.commentId, "eyes");
    if (command.kind === "promote") {
      const hadStaging = step.record.deploy.kind === "on" && step.record.deploy.staging !== null;
      const decision = await advanceHotfix(step, {
        createStaging: true,
        promote: true,
        actor: command.actor,
      });
      const record = await step.refresh();
      const stages = stagesOf(record);
      const production = stages.find((s) => s.id === "deploy:production")?.stage;
      const staging = stages.find((s) => s.id === "deploy:staging")?.stage;
      const stagingStarted =
        !hadStaging && record.deploy.kind === "on" && record.deploy.staging !== null;
      return {
        kind: "promoted" as const,
        decision,
        production,
        staging,
        stagingStarted,
        tag: step.record.tag?.name ?? "",
      };
    }
    return { kind: "rollback" as const, result: await rollbackHotfix(step, command.actor) };
  });
  const outcome = ended.value;

  switch (outcome.kind) {
    case "not-released":
      return refuse(
        `\`${name}\` needs a released hotfix, and hotfix-bot has not released this PR. Release it first with \`${policy.release.command}\`.`,
        "not released",
      );
    case "promoted": {
      const { production, staging, decision, tag } = outcome;
      if (production && production.state !== "pending" && production.state !== "failed") {
        await github.react(command.commentId, "rocket");
        return `promoted: ${decision}`;
      }
      if (outcome.stagingStarted) {
        // Staging had not been deployed (GitHub refused it before): that is done now.
        await github.react(command.commentId, "rocket");
        await reply(
          `\`${tag}\` is being deployed to \`${deploy.environments.staging}\` first; ${deploy.promote === "auto" ? `it goes to \`${deploy.environments.production}\` as soon as staging succeeds` : `once staging succeeds, comment \`${PROMOTE_COMMAND}\` again to deploy it to \`${deploy.environments.production}\``}.`,
        );
        return `staging started: ${decision}`;
      }
      return refuse(
        `\`${tag}\` was not promoted to \`${deploy.environments.production}\`: ${staging?.state === "done" ? (production?.text ?? decision) : `staging must succeed first, and it ${staging ? `stands at: ${staging.text}` : "has no deployment yet"}`}.`,
        decision,
      );
    }
    case "rollback": {
      const result = outcome.result;
      if (result.kind === "refused") return refuse(result.reason, result.reason);
      await github.react(command.commentId, "rocket");
      await reply(
        `${result.created ? "rolling" : "already rolling"} \`${deploy.environments.production}\` back to \`${result.previousTag}\` (deployment ${result.deploymentId})${result.revert ? `; ${result.revert}` : ""}. Progress is in the tracking comment${ended.trackingUrl ? `: ${ended.trackingUrl}` : ""}.`,
      );
      return `rollback to ${result.previousTag} (${result.created ? "created" : "reused"})`;
    }
  }
}
