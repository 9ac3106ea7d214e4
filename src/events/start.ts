import type { Probot } from "probot";
import { toActor } from "../github/map.js";
import { parseCommands, type CommandSpec } from "../commands/parse.js";
import { startHotfix, onPullText } from "../start/start-hotfix.js";
import { openStartedPull } from "../start/open-started-pull.js";
import { START_COMMAND } from "../start/start-text.js";
import { issueOfStartBranch } from "../start/slug.js";
import { handleDelivery, type WiredConfig } from "./delivery.js";

const START_SPEC: CommandSpec = {
  name: START_COMMAND,
  args: "optional",
  argName: "line or version",
};

/** Pure, from the payload alone: the `/start-hotfix` in a comment, if any. */
export function startCommandIn(body: string) {
  return parseCommands(body, [START_SPEC])[0] ?? null;
}

/**
 * `/start-hotfix` on an issue, and the first push to the branch it created. Both are decided from
 * the payload first: a comment without the command and a push to any other branch, or one that
 * only created the branch, cost no request.
 */
export function onStart(app: Probot, config: WiredConfig): void {
  app.on("issue_comment.created", (context) => {
    const { comment, issue } = context.payload;
    const author = toActor(comment.user);
    const command = author.isBot ? null : startCommandIn(comment.body);
    return handleDelivery(context, config, {
      skip: () => {
        if (author.isBot) return "skipped: comment by a bot";
        return command ? null : "skipped: no /start-hotfix";
      },
      run: async ({ github, policy, setPull }) => {
        setPull(issue.number);
        if (!command) return "skipped: no /start-hotfix";
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        if (issue.pull_request) {
          await github.createComment(issue.number, onPullText(author.login));
          return "refused: a PR, not an issue";
        }
        if (!command.ok) {
          await github.react(comment.id, "confused");
          await github.createComment(issue.number, `@${author.login} ${command.error}`);
          return `refused: ${command.error}`;
        }
        if (command.args.length > 1) {
          await github.createComment(
            issue.number,
            `@${author.login} nothing was created: \`${START_COMMAND}\` takes one line or version (e.g. \`${START_COMMAND} 1.4\`), not ${command.args.length}.`,
          );
          return "refused: more than one line";
        }
        return startHotfix(
          { github, policy: policy.policy, locks: config.locks },
          {
            issue: issue.number,
            commentId: comment.id,
            actor: author.login,
            argument: command.args[0] ?? null,
          },
        );
      },
    });
  });

  app.on("push", (context) => {
    const { ref, commits, deleted, sender } = context.payload;
    const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : "";
    return handleDelivery(context, config, {
      skip: () => {
        if (issueOfStartBranch(branch) === null) return "skipped: not a started hotfix branch";
        if (deleted) return "skipped: branch deleted";
        // The branch's creation at the release tag (by /start-hotfix itself) pushes no commit.
        return commits.length === 0 ? "skipped: no commit pushed" : null;
      },
      run: async ({ github, policy }) => {
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        return openStartedPull(
          { github, policy: policy.policy, locks: config.locks, botLogin: null },
          { branch, pusher: sender?.login ?? context.payload.pusher.name },
        );
      },
    });
  });
}
