/** `/backport <branch> …` by someone allowed to release, on a merged PR. */
import { authorise } from "../access/authorise.js";
import { summarise, type CarryContext } from "./carry.js";
import { backportTo } from "./triggers.js";

export interface BackportCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  targets: readonly string[];
}

export async function onBackportCommand(
  ctx: CarryContext,
  command: BackportCommand,
): Promise<string> {
  const { github, policy } = ctx;
  const auth = await authorise(github, command.actor, policy.release.allowed, "start backports");
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    return `refused: @${command.actor} not allowed to backport`;
  }
  const pull = await github.getPull(command.pullNumber);
  if (!pull) return "refused: PR not found";
  if (!pull.merged) {
    await github.createComment(
      command.pullNumber,
      `@${command.actor} #${pull.number} is not merged yet, so there is nothing to backport. Add the label${command.targets.length === 1 ? "" : "s"} ${command.targets.map((t) => `\`backport ${t}\``).join(", ")} instead: the backport then happens at merge.`,
    );
    return "refused: not merged";
  }
  await github.react(command.commentId, "eyes");
  const outcomes = await backportTo(ctx, pull, command.targets);
  const troubled = outcomes.some((o) => o.kind === "failed" || o.kind.startsWith("conflict"));
  await github.react(command.commentId, troubled ? "confused" : "rocket");
  return summarise(outcomes);
}
