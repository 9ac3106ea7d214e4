import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { authorise } from "../access/authorise.js";
import { cutRelease } from "./cut-release.js";
import { startDeploy } from "../deploy/start-deploy.js";
import { backportAfterRelease } from "../backport/triggers.js";
import type { WritePacer } from "../backport/pace-writes.js";
import { countRelease } from "../observability/metrics.js";

export interface ReleaseCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  dryRun: boolean;
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  /** Paces the backports' writes (AppConfig.backportPacer); default one pacer per account. */
  pacer?: WritePacer | undefined;
}

/** Authorise the commenter, then release (or plan, with --dry-run). Returns the decision. */
export async function onReleaseCommand(
  github: GitHubPort,
  command: ReleaseCommand,
): Promise<string> {
  const auth = await authorise(github, command.actor, command.policy.release.allowed, "release");
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    countRelease("refused");
    return `refused: @${command.actor} not allowed to release`;
  }
  const outcome = await cutRelease(github, command);
  countRelease(outcome.kind);
  switch (outcome.kind) {
    case "refused":
      return `refused: ${outcome.reason}`;
    case "planned":
      return "dry run: plan posted";
    case "failed":
      return `failed at ${outcome.step}: ${outcome.reason}`;
    case "released": {
      const deploy = await startDeploy(github, {
        pull: command.pullNumber,
        tag: outcome.tag,
        version: outcome.version,
        mergeSha: outcome.mergeSha,
        policy: command.policy,
        tracking: outcome.tracking,
        actor: command.actor,
        ownAppId: command.ownAppId,
      });
      const deployed = deploy.kind === "skipped" ? "deploy skipped" : `deploy: ${deploy.decision}`;
      // Production first, then the other branches: backports are paced and take longer.
      const backports = await backportAfterRelease(github, {
        pull: outcome.pull,
        policy: command.policy,
        tracking: outcome.tracking,
        release: { tag: outcome.tag, url: outcome.releaseUrl },
        mergeMethod: outcome.mergeMethod,
        ...(command.pacer ? { pacer: command.pacer } : {}),
      });
      return `released ${outcome.tag} on ${outcome.mergeSha.slice(0, 7)}; ${deployed}; ${backports}`;
    }
  }
}
