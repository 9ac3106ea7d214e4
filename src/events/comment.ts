import type { Probot } from "probot";
import { toActor } from "../github/map.js";
import { formatProblem } from "../policy/parse.js";
import { parseCommands } from "../commands/parse.js";
import { BACKPORT_COMMAND, PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";
import { commandSpecs, DEFAULT_POLICY, mayHoldCommand } from "../commands/specs.js";
import { onBackportCommand } from "../backport/on-backport-command.js";
import { onReleaseCommand } from "../release/on-release-command.js";
import { onDeployCommand } from "../deploy/on-deploy-command.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

/**
 * Slash commands in PR comments. Only newly created comments by people count: an edited comment
 * never triggers anything (an edit could turn someone's old comment into a release), nor does a
 * bot's comment, nor a comment on a plain issue.
 */
export function onComment(app: Probot, config: AppConfig): void {
  app.on("issue_comment.created", (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const { comment, issue } = context.payload;
      if (!issue.pull_request) return "skipped: not a PR";
      const author = toActor(comment.user);
      if (author.isBot) return "skipped: comment by a bot";
      if (!mayHoldCommand(comment.body)) return "skipped: no command";
      setPull(issue.number);
      const load = await policy();
      if (load.state === "absent") return "no policy: nothing to do";
      const specs = commandSpecs(load.state === "valid" ? load.policy : DEFAULT_POLICY);
      const [command] = parseCommands(comment.body, specs);
      if (!command) return "skipped: no command";
      if (load.state === "invalid") {
        await github.createComment(
          issue.number,
          [
            `@${author.login} nothing was done: the hotfix policy is invalid and hotfix-bot takes no action until an admin fixes it.`,
            "",
            "```",
            ...load.problems.map(formatProblem),
            "```",
          ].join("\n"),
        );
        return "refused: policy invalid";
      }
      if (!command.ok) {
        await github.react(comment.id, "confused");
        await github.createComment(issue.number, `@${author.login} ${command.error}`);
        return `refused: ${command.error}`;
      }
      if (command.name === PROMOTE_COMMAND || command.name === ROLLBACK_COMMAND) {
        return onDeployCommand(github, {
          kind: command.name === PROMOTE_COMMAND ? "promote" : "rollback",
          pullNumber: issue.number,
          commentId: comment.id,
          actor: author.login,
          policy: load.policy,
          repoUrl: context.payload.repository.html_url,
          ownAppId: config.appId,
        });
      }
      if (command.name === BACKPORT_COMMAND) {
        return onBackportCommand(github, {
          pullNumber: issue.number,
          commentId: comment.id,
          actor: author.login,
          targets: command.args,
          policy: load.policy,
          pacer: config.backportPacer,
        });
      }
      return onReleaseCommand(github, {
        pullNumber: issue.number,
        commentId: comment.id,
        actor: author.login,
        dryRun: command.flags.has("--dry-run"),
        policy: load.policy,
        policyFiles: load.files,
        ownAppId: config.appId,
        pacer: config.backportPacer,
      });
    }),
  );
}
