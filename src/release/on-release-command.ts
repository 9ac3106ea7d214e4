import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { mayRelease } from "./authorise.js";
import { cutRelease } from "./cut-release.js";

export interface ReleaseCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  dryRun: boolean;
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
}

/** Authorise the commenter, then release (or plan, with --dry-run). Returns the decision. */
export async function onReleaseCommand(
  github: GitHubPort,
  command: ReleaseCommand,
): Promise<string> {
  const auth = await mayRelease(github, command.actor, command.policy.release.allowed);
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    return `refused: @${command.actor} not allowed to release`;
  }
  const outcome = await cutRelease(github, command);
  switch (outcome.kind) {
    case "refused":
      return `refused: ${outcome.reason}`;
    case "planned":
      return "dry run: plan posted";
    case "failed":
      return `failed at ${outcome.step}: ${outcome.reason}`;
    case "released":
      return `released ${outcome.tag} on ${outcome.mergeSha.slice(0, 7)}`;
  }
}
