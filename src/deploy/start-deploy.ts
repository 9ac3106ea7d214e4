/**
 * After a successful release: deploy the tag to staging (or record that the policy has no
 * deploy stage). The rest of the way — production, the monitoring window — follows GitHub's
 * `deployment_status` events (src/events/deploy.ts). Safe to call again: an existing staging
 * deployment of the tag is reused, and the flow resumes from where GitHub says it stands.
 */
import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import type { Tracking } from "../tracking/tracking-comment.js";
import { setStage } from "../tracking/state.js";
import { advanceHotfix } from "./advance-hotfix.js";
import { isGitHubError } from "../github/errors.js";
import { PROMOTE_COMMAND } from "../commands/names.js";
import { skippedStage, STAGE_IDS } from "./stage-text.js";

export interface StartDeployInput {
  /** The hotfix PR's number. */
  pull: number;
  tag: string;
  version: string;
  /** The released commit (the tag points at it); kept for the log line. */
  mergeSha: string;
  policy: Policy;
  tracking: Tracking;
  /** Who released: mentioned when a deploy step needs a person. */
  actor: string;
  /** `https://github.com/owner/repo`, for links; derived from the repository when omitted. */
  repoUrl?: string;
  ownAppId?: number | null;
  now?: Date;
}

export type StartDeployOutcome =
  { kind: "skipped"; reason: string } | { kind: "started"; decision: string };

export async function startDeploy(
  github: GitHubPort,
  input: StartDeployInput,
): Promise<StartDeployOutcome> {
  const deploy = input.policy.deploy;
  if (!deploy) {
    await input.tracking.update((s) => setStage(s, STAGE_IDS.skipped, skippedStage()));
    return { kind: "skipped", reason: "no deploy policy" };
  }
  try {
    const decision = await advanceHotfix(
      {
        github,
        policy: input.policy,
        deploy,
        tracking: input.tracking,
        repoUrl: input.repoUrl ?? repoUrlOf(github, input.tracking.state.facts.releaseUrl),
        ownAppId: input.ownAppId ?? null,
        now: input.now ?? new Date(),
      },
      {
        pr: input.pull,
        tag: input.tag,
        version: input.version,
        releasedBy: input.tracking.state.facts.releasedBy ?? input.actor,
      },
      { createStaging: true, promote: deploy.promote === "auto" },
    );
    return { kind: "started", decision };
  } catch (error) {
    // The release stands; only the deploy did not start. The command resumes it.
    if (!isGitHubError(error)) throw error;
    await input.tracking.update((s) =>
      setStage(s, STAGE_IDS.staging, {
        state: "failed",
        text: `not started: GitHub answered ${error.status} to ${error.route}: ${error.message}. Comment \`${PROMOTE_COMMAND}\` to try again.`,
      }),
    );
    return { kind: "started", decision: `deploy not started: ${error.message}` };
  }
}

/** The release's page names the web host (GitHub Enterprise too): `…/owner/repo/releases/…`. */
function repoUrlOf(github: GitHubPort, releaseUrl: string | undefined): string {
  const at = releaseUrl?.indexOf("/releases/") ?? -1;
  if (releaseUrl && at > 0) return releaseUrl.slice(0, at);
  return `https://github.com/${github.repo.owner}/${github.repo.repo}`;
}
