import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { authorise } from "../access/authorise.js";
import { backportTo, summarise } from "./triggers.js";
import type { WritePacer } from "./pace-writes.js";

export interface BackportCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  targets: readonly string[];
  policy: Policy;
  /** Paces the backports' writes (AppConfig.backportPacer); default one pacer per account. */
  pacer?: WritePacer | undefined;
}

/** `/backport <branch> …` by someone allowed to release, on a merged PR. */
export async function onBackportCommand(
  github: GitHubPort,
  command: BackportCommand,
): Promise<string> {
  const auth = await authorise(
    github,
    command.actor,
    command.policy.release.allowed,
    "start backports",
  );
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
  const outcomes = await backportTo(github, pull, command.policy, command.targets, {
    pacer: command.pacer,
  });
  const troubled = outcomes.some((o) => o.kind === "failed" || o.kind.startsWith("conflict"));
  await github.react(command.commentId, troubled ? "confused" : "rocket");
  return summarise(outcomes);
}
