import type { Probot } from "probot";
import { toActor } from "../github/map.js";
import { formatProblem } from "../policy/parse.js";
import { parseCommands } from "../commands/parse.js";
import {
  BACKPORT_COMMAND,
  DEFAULT_RELEASE_COMMAND,
  PROMOTE_COMMAND,
  ROLLBACK_COMMAND,
} from "../commands/names.js";
import { commandSpecs, mayHoldCommand } from "../commands/specs.js";
import { onBackportCommand } from "../backport/on-backport-command.js";
import { onReleaseCommand } from "../release/on-release-command.js";
import { onDeployCommand } from "../deploy/on-deploy-command.js";
import { handleDelivery, type WiredConfig } from "./delivery.js";

/**
 * Slash commands in PR comments. Only newly created comments by people count: an edited comment
 * never triggers anything (an edit could turn someone's old comment into a release), nor does a
 * bot's comment, nor a comment on a plain issue.
 */
export function onComment(app: Probot, config: WiredConfig): void {
  app.on("issue_comment.created", (context) => {
    const { comment, issue } = context.payload;
    const author = toActor(comment.user);
    return handleDelivery(context, config, {
      learn: issue.pull_request
        ? {
            pr: issue.number,
            labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
            at: issue.updated_at,
          }
        : null,
      skip: () => {
        if (!issue.pull_request) return "skipped: not a PR";
        if (author.isBot) return "skipped: comment by a bot";
        return mayHoldCommand(comment.body) ? null : "skipped: no command";
      },
      run: async (delivery) => {
        const { github, policy, setPull } = delivery;
        setPull(issue.number);
        if (policy.state === "absent") return "no policy: nothing to do";
        const specs = commandSpecs(
          policy.state === "valid" ? policy.policy.release.command : DEFAULT_RELEASE_COMMAND,
        );
        const [command] = parseCommands(comment.body, specs);
        if (!command) return "skipped: no command";
        if (policy.state === "invalid") {
          await github.createComment(
            issue.number,
            [
              `@${author.login} nothing was done: the hotfix policy is invalid and hotfix-bot takes no action until an admin fixes it.`,
              "",
              "```",
              ...policy.problems.map(formatProblem),
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
        const lifecycle = delivery.lifecycle(policy.policy);
        const asked = { pullNumber: issue.number, commentId: comment.id, actor: author.login };
        if (command.name === PROMOTE_COMMAND || command.name === ROLLBACK_COMMAND) {
          return onDeployCommand(lifecycle, {
            ...asked,
            kind: command.name === PROMOTE_COMMAND ? "promote" : "rollback",
          });
        }
        if (command.name === BACKPORT_COMMAND)
          return onBackportCommand(lifecycle, { ...asked, targets: command.args });
        return onReleaseCommand(lifecycle, {
          ...asked,
          dryRun: command.flags.has("--dry-run"),
          whenOpen: command.flags.has("--when-open"),
          cancel: command.flags.has("--cancel"),
          override: command.values.get("--override") ?? null,
        });
      },
    });
  });
}
